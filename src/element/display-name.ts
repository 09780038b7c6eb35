/** Directional formatting characters, with which a name like `invoice‮fdp.exe` shows as `invoiceexe.pdf`. */
const directionalControls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A file name as it is safe to show: directional controls made visible as `�`. */
export function displayName(name: string): string {
  return name.replace(directionalControls, '\uFFFD');
}

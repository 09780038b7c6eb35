/** Longest accepted file name, in UTF-16 code units (file systems allow 255 bytes; names beyond are abuse). */
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * The Unicode directional formatting characters, with which a name like `invoice‮fdp.exe` shows as
 * `invoiceexe.pdf`. Global: use it with `replace` or `search`, which ignore and reset `lastIndex`.
 */
export const directionalControls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Says what is wrong with a file name a browser reported, or `undefined` when it is an acceptable base name:
 * not empty, not too long, no path separators or dot-only names (path traversal), no control or directional
 * characters, no surrounding spaces, well-formed Unicode.
 */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_FILE_NAME_LENGTH) return `is longer than ${MAX_FILE_NAME_LENGTH} characters`;
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator';
  if (/^\.+$/.test(name)) return 'is not a file name';
  if (/\p{Cc}/u.test(name) || name.search(directionalControls) >= 0) return 'contains control characters';
  if (name.trim() !== name) return 'starts or ends with a space';
  if (LONE_SURROGATE.test(name)) return 'is not well-formed Unicode';
  return undefined;
}

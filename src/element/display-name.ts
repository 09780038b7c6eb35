import { directionalControls } from '../contract/file-name-check.js';

/** A file name as it is safe to show: directional controls made visible as U+FFFD. */
export function displayName(name: string): string {
  return name.replace(directionalControls, '\uFFFD');
}

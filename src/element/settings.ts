import type { TokenProvider } from '../engine/credential-source.js';
import type { Provider } from '../engine/types.js';

/**
 * The element's settings that its controllers read: its public properties, by the same names. The element
 * implements this interface; the controllers depend on it rather than on the element's class.
 */
export interface UploaderSettings {
  provider: Provider;
  tokenEndpoint: string;
  tokenCredentials: RequestCredentials;
  tokenProvider: TokenProvider | undefined;
  maxTokenLifetime: number;
  to: string;
  formats: string;
  from: string;
  accept: string;
  maxFileSize: string;
  maxFiles: number | undefined;
  multiple: boolean;
  concurrency: number;
  autoStart: boolean;
  apiBase: string;
  syncBase: string;
  sandbox: boolean;
  disabled: boolean;
  parameters: Readonly<Record<string, unknown>>;
}

/** The output formats listed in `formats`, lower-case, in order. */
export function offeredFormats(settings: Pick<UploaderSettings, 'formats'>): string[] {
  return settings.formats
    .split(',')
    .map((format) => format.trim().toLowerCase())
    .filter(Boolean);
}

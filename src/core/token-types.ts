import type { Provider } from '../element/types.js';

/** A file as described to the token endpoint: never its content. */
export interface FileDescription {
  name: string;
  size: number;
  type: string;
  /**
   * CloudConvert, converting a file again: the export of the file from its first job, which the
   * host's new job imports (`import/url`) instead of waiting for an upload.
   */
  importUrl?: string;
}

/** The body the element POSTs to the host's token endpoint. */
export interface TokenRequest {
  provider: Provider;
  from: string;
  to: string;
  files: FileDescription[];
}

/** What a token endpoint may answer (see the README's token endpoint contract). */
export type TokenResponse =
  | { provider: 'convertapi'; token: string; expiresAt?: string; requestCount?: number }
  | { provider: 'cloudconvert'; accessToken: string; expiresAt?: string }
  | { provider: 'cloudconvert'; job: unknown; statusUrl: string; expiresAt?: string };

/** Replaces the token endpoint: a page's own function that returns a token response. */
export type TokenProvider = (request: TokenRequest) => Promise<TokenResponse>;

/** A credential that passed the guard. */
export type Credential =
  | { kind: 'convertapi-token'; secretValue: string; expiresAt: number; uses: number | undefined }
  | { kind: 'cloudconvert-access-token'; secretValue: string; expiresAt: number }
  | { kind: 'cloudconvert-job'; job: unknown; statusUrl: URL; expiresAt: number | undefined };

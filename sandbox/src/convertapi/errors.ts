import type { SandboxResponse } from '../types.js';

/** Parameter name → messages, as in ConvertAPI's `InvalidParameters`. */
export type InvalidParameters = Record<string, string[]>;

/** An error answered the ConvertAPI way: `{Code, Message[, InvalidParameters]}` with an HTTP status. */
export class ConvertApiError extends Error {
  override name = 'ConvertApiError';

  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly invalidParameters?: InvalidParameters,
  ) {
    super(message);
  }

  toResponse(): SandboxResponse {
    return {
      status: this.status,
      body: {
        Code: this.code,
        Message: this.message,
        ...(this.invalidParameters ? { InvalidParameters: this.invalidParameters } : {}),
      },
    };
  }
}

/** The errors the emulator answers, with the wording of the docs (docs/convertapi.md §5). */
export const errors = {
  invalidParameters: (invalid: InvalidParameters) =>
    new ConvertApiError(400, 4000, 'Parameter validation error.', invalid),
  noContentDisposition: () => new ConvertApiError(400, 4001, 'No Content-Disposition provided.'),
  badJson: () => new ConvertApiError(400, 4002, 'Bad JSON.'),
  base64FileNotFound: () => new ConvertApiError(400, 4005, 'Base64 file not found.'),
  badSecret: () => new ConvertApiError(401, 4010, 'Invalid user credentials - bad secret.'),
  badToken: () => new ConvertApiError(401, 4011, 'Invalid user credentials - bad token.'),
  badJwt: () => new ConvertApiError(401, 4012, 'Invalid user credentials - bad JWT token.'),
  missingCredentials: () =>
    new ConvertApiError(401, 4013, 'User credentials not set, secret or token must be passed.'),
  balanceZero: () => new ConvertApiError(401, 4014, 'Conversion balance is zero.'),
  // [?] What the real service answers for a converter it lacks is unconfirmed; 415 "File type not
  // supported" is its documented answer for inputs it cannot take (docs/convertapi.md §5).
  unsupported: (from: string, to: string) =>
    new ConvertApiError(415, 415, `Conversion from "${from}" to "${to}" is not supported.`),
  conversionFailed: (detail?: string) =>
    new ConvertApiError(500, 5001, detail ? `Conversion failed. ${detail}` : 'Conversion failed.'),
  fileDamaged: () => new ConvertApiError(500, 5002, 'The file is damaged or has an unsupported format.'),
  cannotDownload: () => new ConvertApiError(500, 5007, 'Unable to download the file from the URL.'),
  invalidFileId: () => new ConvertApiError(500, 5009, 'Invalid FileId.'),
  notFound: () => new ConvertApiError(404, 404, 'Not found.'),
} as const;

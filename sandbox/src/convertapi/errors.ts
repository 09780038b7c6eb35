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
  // A converter the sandbox lacks. [?] What the real service answers for a pair it has no converter for
  // is documented nowhere: its docs list 415 "The file is not supported by file server or endpoint" with
  // no sub-code (docs/convertapi.md §5, P: https://docs.convertapi.com/docs/response-codes), and
  // `/info/canconvert` answers 404 for such a pair (§6). None of the SDKs' sources or tests tries one.
  unsupported: (from: string, to: string) =>
    new ConvertApiError(415, 415, `Conversion from "${from}" to "${to}" is not supported.`),
  timeout: () => new ConvertApiError(500, 5000, 'Conversion timeout.'),
  conversionFailed: (detail?: string) =>
    new ConvertApiError(500, 5001, detail ? `Conversion failed. ${detail}` : 'Conversion failed.'),
  fileDamaged: () => new ConvertApiError(500, 5002, 'The file is damaged or has an unsupported format.'),
  cannotDownload: (detail?: string) =>
    new ConvertApiError(
      500,
      5007,
      detail
        ? `Unable to download the file from the URL. ${detail}`
        : 'Unable to download the file from the URL.',
    ),
  invalidFileId: () => new ConvertApiError(500, 5009, 'Invalid FileId.'),
  notFound: () => new ConvertApiError(404, 404, 'Not found.'),
} as const;

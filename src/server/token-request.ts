import { RequestError } from './errors.js';
import { fileExtension, fileNameProblem } from './file-name.js';
import { FORMAT_PATTERN, type AllowedFormats } from './format-allowlist.js';

/** The conversion services the element and the server kit speak to. */
export type ProviderName = 'convertapi' | 'cloudconvert';

/** One file of a batch, as the browser describes it (the server never sees its content). */
export interface FileDescription {
  /** Base name, checked by {@link fileNameProblem}. */
  readonly name: string;
  /** Size in bytes, as declared by the browser. */
  readonly size: number;
  /** MIME type as the browser reported it, possibly `''`. */
  readonly type: string;
  /**
   * CloudConvert server-job mode: the export URL of this file from an earlier job, which the new job imports
   * (`import/url`) instead of awaiting an upload. Only where the handler allows it (see `BatchRules.importUrl`).
   */
  readonly importUrl?: string;
}

/** A validated token-endpoint request (design §3). */
export interface TokenRequest {
  readonly provider: ProviderName;
  /** Input format, when the element names one for the whole batch; lower case. */
  readonly from?: string;
  /** Output format, lower case. */
  readonly to: string;
  readonly files: readonly FileDescription[];
}

/** What a handler accepts in a batch. */
export interface BatchRules {
  readonly provider: ProviderName;
  readonly maxFiles: number;
  readonly maxFileSize: number;
  readonly formats?: AllowedFormats;
  /** Which `files[].importUrl` to accept; without it the field is ignored. */
  readonly importUrl?: (url: URL) => boolean;
}

const MAX_TYPE_LENGTH = 255;

/**
 * Validates a parsed request body against the token-endpoint contract and `rules`. Throws a 400
 * {@link RequestError} with a precise code (`invalid-request`, `invalid-file-name`, `too-many-files`,
 * `file-too-large`, `empty-file`, `file-type-not-accepted`, `conversion-unsupported`, `invalid-import-url`) on
 * the first problem.
 * Unknown fields are ignored and never passed on.
 */
export function parseTokenRequest(body: unknown, rules: BatchRules): TokenRequest {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  if (body.provider !== rules.provider)
    throw invalid(`This endpoint serves the provider "${rules.provider}" only.`);
  const to = format(body.to, 'to');
  if (to === undefined) throw invalid('The field "to" (the output format) is required.');
  const from = format(body.from, 'from');
  if (rules.formats !== undefined && !rules.formats.to.has(to)) {
    throw new RequestError(400, 'conversion-unsupported', `Converting to "${to}" is not offered here.`);
  }
  if (!Array.isArray(body.files)) throw invalid('The field "files" must be an array.');
  if (body.files.length === 0) throw invalid('The field "files" must list at least one file.');
  if (body.files.length > rules.maxFiles) {
    throw new RequestError(
      400,
      'too-many-files',
      `At most ${rules.maxFiles} files may be converted at once.`,
      {},
      // The element asks again for at most this many files.
      { limit: String(rules.maxFiles) },
    );
  }
  const files = body.files.map((file: unknown, index) => fileDescription(file, index, from, rules));
  return from === undefined
    ? { provider: rules.provider, to, files }
    : { provider: rules.provider, from, to, files };
}

function fileDescription(
  file: unknown,
  index: number,
  from: string | undefined,
  rules: BatchRules,
): FileDescription {
  const field = `files[${index}]`;
  if (!isRecord(file)) throw invalid(`The field "${field}" must be an object.`);
  const { name, size, type, importUrl } = file;
  if (typeof name !== 'string') throw invalid(`The field "${field}.name" must be a string.`);
  const problem = fileNameProblem(name);
  if (problem !== undefined)
    throw new RequestError(400, 'invalid-file-name', `The name of file ${index + 1} ${problem}.`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(`The field "${field}.size" must be a whole number of bytes.`);
  }
  if (size === 0) throw new RequestError(400, 'empty-file', `File ${index + 1} is empty.`);
  if (size > rules.maxFileSize) {
    throw new RequestError(
      400,
      'file-too-large',
      `File ${index + 1} is larger than ${rules.maxFileSize} bytes.`,
    );
  }
  const mime = type === undefined ? '' : type;
  if (typeof mime !== 'string' || mime.length > MAX_TYPE_LENGTH || /\p{Cc}/u.test(mime)) {
    throw invalid(`The field "${field}.type" must be a MIME type.`);
  }
  const inputFormat = from ?? fileExtension(name);
  if (rules.formats?.from !== undefined && !rules.formats.from.has(inputFormat)) {
    throw new RequestError(
      400,
      'file-type-not-accepted',
      `File ${index + 1} is of a type not accepted here.`,
    );
  }
  const description = { name: name.normalize('NFC'), size, type: mime };
  if (importUrl === undefined || rules.importUrl === undefined) return description;
  let url: URL | undefined;
  try {
    url = typeof importUrl === 'string' && importUrl.length <= 8192 ? new URL(importUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || !rules.importUrl(url)) {
    throw new RequestError(
      400,
      'invalid-import-url',
      `The import URL of file ${index + 1} is not an export of this service's storage.`,
    );
  }
  return { ...description, importUrl: url.href };
}

function format(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const normalized = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!FORMAT_PATTERN.test(normalized))
    throw invalid(`The field "${field}" must be a format name such as "pdf".`);
  return normalized;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): RequestError {
  return new RequestError(400, 'invalid-request', message);
}

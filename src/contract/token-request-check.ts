import type { TokenRequestErrorCode } from './endpoint-error.js';
import { FORMAT_PATTERN, inputFormatOf } from './file-name.js';
import { fileNameProblem } from './file-name-check.js';
import { isRecord } from './guards.js';
import type { FileDescription, ProviderName, TokenRequest } from './token-request.js';

/** What one endpoint accepts in a token request, beyond the contract itself. */
export interface TokenRequestRules {
  readonly provider: ProviderName;
  readonly maxFiles: number;
  /** Largest declared file size, in bytes. */
  readonly maxFileSize: number;
  /** The formats granted, lower case: outputs (`to`) and, when given, inputs (`from`); without it, any. */
  readonly formats?: { readonly to: ReadonlySet<string>; readonly from?: ReadonlySet<string> };
  /** Which `files[].importUrl` to accept; without it the field is ignored. */
  readonly importUrl?: (url: URL) => boolean;
}

/** A token request refused: the endpoint answers 400 with `{ error: { code, message, limit? } }`. */
export class TokenRequestError extends Error {
  override name = 'TokenRequestError';

  constructor(
    readonly code: TokenRequestErrorCode,
    message: string,
    /** `too-many-files`: how many files the endpoint takes, so the element can ask again for fewer. */
    readonly limit?: number,
  ) {
    super(message);
  }
}

const MAX_TYPE_LENGTH = 255;
const MAX_IMPORT_URL_LENGTH = 8192;

/**
 * Validates a parsed request body against the token-endpoint contract and `rules`, and returns it
 * normalized: formats trimmed and lower-cased, names in NFC, unknown fields dropped. Throws a
 * {@link TokenRequestError} naming the first problem.
 */
export function validateTokenRequest(body: unknown, rules: TokenRequestRules): TokenRequest {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  if (body['provider'] !== rules.provider)
    throw invalid(`This endpoint serves the provider "${rules.provider}" only.`);
  const to = format(body['to'], 'to');
  if (to === undefined) throw invalid('The field "to" (the output format) is required.');
  const from = format(body['from'], 'from');
  if (rules.formats !== undefined && !rules.formats.to.has(to)) {
    throw new TokenRequestError('conversion-unsupported', `Converting to "${to}" is not offered here.`);
  }
  const files = body['files'];
  if (!Array.isArray(files)) throw invalid('The field "files" must be an array.');
  if (files.length === 0) throw invalid('The field "files" must list at least one file.');
  if (files.length > rules.maxFiles) {
    throw new TokenRequestError(
      'too-many-files',
      `At most ${rules.maxFiles} files may be converted at once.`,
      rules.maxFiles,
    );
  }
  const described = files.map((file: unknown, index) => fileDescription(file, index, from, rules));
  return from === undefined
    ? { provider: rules.provider, to, files: described }
    : { provider: rules.provider, from, to, files: described };
}

function fileDescription(
  file: unknown,
  index: number,
  from: string | undefined,
  rules: TokenRequestRules,
): FileDescription {
  const field = `files[${index}]`;
  if (!isRecord(file)) throw invalid(`The field "${field}" must be an object.`);
  const { name, size, type, importUrl } = file;
  if (typeof name !== 'string') throw invalid(`The field "${field}.name" must be a string.`);
  const problem = fileNameProblem(name);
  if (problem !== undefined)
    throw new TokenRequestError('invalid-file-name', `The name of file ${index + 1} ${problem}.`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(`The field "${field}.size" must be a whole number of bytes.`);
  }
  if (size === 0) throw new TokenRequestError('empty-file', `File ${index + 1} is empty.`);
  if (size > rules.maxFileSize) {
    throw new TokenRequestError(
      'file-too-large',
      `File ${index + 1} is larger than ${rules.maxFileSize} bytes.`,
    );
  }
  const mime = type === undefined ? '' : type;
  if (typeof mime !== 'string' || mime.length > MAX_TYPE_LENGTH || /\p{Cc}/u.test(mime)) {
    throw invalid(`The field "${field}.type" must be a MIME type.`);
  }
  const accepted = rules.formats?.from;
  if (accepted !== undefined && !accepted.has(inputFormatOf(name, from))) {
    throw new TokenRequestError(
      'file-type-not-accepted',
      `File ${index + 1} is of a type not accepted here.`,
    );
  }
  const description = { name: name.normalize('NFC'), size, type: mime };
  if (importUrl === undefined || rules.importUrl === undefined) return description;
  let url: URL | undefined;
  try {
    url =
      typeof importUrl === 'string' && importUrl.length <= MAX_IMPORT_URL_LENGTH
        ? new URL(importUrl)
        : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || !rules.importUrl(url)) {
    throw new TokenRequestError(
      'invalid-import-url',
      `The import URL of file ${index + 1} is not an export of this service's storage.`,
    );
  }
  return { ...description, importUrl: url.href };
}

/** A format field, trimmed and lower-cased; `undefined` when absent. */
function format(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const normalized = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!FORMAT_PATTERN.test(normalized))
    throw invalid(`The field "${field}" must be a format name such as "pdf".`);
  return normalized;
}

function invalid(message: string): TokenRequestError {
  return new TokenRequestError('invalid-request', message);
}

import { isRecord, parseJsonObject } from './guards.js';

/** Why a token endpoint refused a token request itself (status 400): the request broke the contract or the rules. */
export type TokenRequestErrorCode =
  | 'invalid-request'
  | 'invalid-file-name'
  | 'too-many-files'
  | 'file-too-large'
  | 'empty-file'
  | 'file-type-not-accepted'
  | 'conversion-unsupported'
  | 'invalid-import-url';

/** Every `error.code` the server kit's endpoints answer with. */
export type EndpointErrorCode =
  | TokenRequestErrorCode
  /** 413: the body is larger than the endpoint reads. */
  | 'payload-too-large'
  /** 401: the site's own sign-in is missing. */
  | 'unauthorized'
  /** 401: CloudConvert OAuth: the visitor has not connected an account yet (see `loginUrl`). */
  | 'not-connected'
  /** 403: the page's origin may not call the endpoint. */
  | 'origin-not-allowed'
  /** 403: the host's own `authorize` check refused. */
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  /** 410: a CloudConvert job's status address has expired. */
  | 'expired'
  /** 400: CloudConvert OAuth: the callback's `state` does not match the flow. */
  | 'invalid-state'
  /** 429 from the endpoint's own limit, or 503 when the service is limiting the site. */
  | 'rate-limited'
  /** 502: the site's conversion account has no credit left. */
  | 'quota-exceeded'
  /** 502: the conversion service failed or refused. */
  | 'upstream-failed'
  | 'internal-error';

/** Fields an error may carry besides its code and message. */
export interface EndpointErrorDetails {
  /** `too-many-files`: how many files the endpoint takes in one request, in decimal. */
  readonly limit?: string;
  /** `not-connected`: where the visitor connects a CloudConvert account. */
  readonly loginUrl?: string;
}

/** The JSON body of an endpoint's error answer. */
export interface EndpointErrorBody {
  readonly error: { readonly code: EndpointErrorCode; readonly message?: string } & EndpointErrorDetails;
}

/**
 * An error answer, as far as the element acts on it. Its `message` is for the developers reading the
 * answer; the element shows its own, translated text.
 */
export interface EndpointError {
  /** An {@link EndpointErrorCode}, or another code from an endpoint the host wrote itself. */
  readonly code: string;
  /** `too-many-files`: the most files to ask for at once, a whole number from 1. */
  readonly limit: number | undefined;
}

/**
 * Reads an endpoint's error answer ({@link EndpointErrorBody}), or `undefined` when the text is not one.
 * `limit` is kept when it reads as a whole number from 1 (the server kit sends it as a string).
 */
export function parseEndpointError(text: string): EndpointError | undefined {
  const error = parseJsonObject(text)?.['error'];
  if (!isRecord(error) || typeof error['code'] !== 'string') return undefined;
  const { code } = error;
  const limit = Number(error['limit']);
  return { code, limit: Number.isInteger(limit) && limit > 0 ? limit : undefined };
}

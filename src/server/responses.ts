import type {
  EndpointErrorBody,
  EndpointErrorCode,
  EndpointErrorDetails,
} from '../contract/endpoint-error.js';
import { RequestError, UpstreamError } from './errors.js';

/** Headers on every answer of the server kit: credentials must never be cached or sniffed. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
};

/** A JSON answer with the no-store headers. */
export function jsonResponse(
  body: unknown,
  status = 200,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE_HEADERS, ...headers },
  });
}

/** The JSON error answer `{ error: { code, message, ...details } }`. */
export function errorResponse(
  status: number,
  code: EndpointErrorCode,
  message: string,
  headers: Readonly<Record<string, string>> = {},
  details: EndpointErrorDetails = {},
): Response {
  const body: EndpointErrorBody = { error: { code, message, ...details } };
  return jsonResponse(body, status, headers);
}

/**
 * Turns anything thrown while serving a request into an answer: a `RequestError` as it says, an upstream failure
 * as a generic 502 (or 503 when the service is rate limiting us), anything else as a generic 500.
 */
export function responseForError(error: unknown): Response {
  if (error instanceof RequestError) {
    return errorResponse(error.status, error.code, error.message, error.headers, error.details);
  }
  if (error instanceof UpstreamError) {
    if (error.upstreamStatus === 429) {
      const retryAfter: Record<string, string> =
        error.retryAfterSec === undefined ? {} : { 'Retry-After': String(error.retryAfterSec) };
      return errorResponse(
        503,
        'rate-limited',
        'The conversion service is busy; try again shortly.',
        retryAfter,
      );
    }
    if (error.upstreamStatus === 402 || error.upstreamCode === 'CREDITS_EXCEEDED') {
      return errorResponse(502, 'quota-exceeded', 'The conversion quota of this site is used up.');
    }
    return errorResponse(502, 'upstream-failed', 'The conversion service could not be reached or refused.');
  }
  return errorResponse(500, 'internal-error', 'The token endpoint failed.');
}

/** A copy of `response` with `headers` added (answers from `fetch` have immutable headers). */
export function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'vary' && merged.has('vary')) merged.append('Vary', value);
    else merged.set(name, value);
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: merged,
  });
}

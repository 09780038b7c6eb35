import type { EndpointErrorCode, EndpointErrorDetails } from '../contract/endpoint-error.js';

/**
 * Thrown when a handler is created with a setup that cannot be safe or cannot work (a missing secret, a
 * lifetime above the cap, a short key, a wildcard origin…). The message names the option, never its value.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * A refusal that the caller caused and may read: it becomes the `EndpointErrorBody`
 * `{ error: { code, message, ...details } }` with `status`.
 * The message says what the caller did wrong and never contains internals or credentials.
 */
export class RequestError extends Error {
  override name = 'RequestError';

  constructor(
    /** HTTP status of the answer. */
    readonly status: number,
    /** Stable machine-readable code, e.g. `too-many-files`. */
    readonly code: EndpointErrorCode,
    message: string,
    /** Extra answer headers, e.g. `Retry-After` or `Allow`. */
    readonly headers: Readonly<Record<string, string>> = {},
    /** Extra fields of the error object, e.g. `loginUrl`. */
    readonly details: EndpointErrorDetails = {},
  ) {
    super(message);
  }
}

/**
 * A conversion service (or its OAuth host) failed or answered something unusable. The caller only ever sees a
 * generic 502; this error, with the upstream status and error code (never a credential), goes to `onError`.
 */
export class UpstreamError extends Error {
  override name = 'UpstreamError';

  constructor(
    message: string,
    /** HTTP status the service answered, when it answered at all. */
    readonly upstreamStatus?: number,
    /** The service's own error code (`CREDITS_EXCEEDED`, `4010`, `invalid_grant`…), when it sent one. */
    readonly upstreamCode?: string,
    /** Seconds the service asked us to wait (from its `Retry-After`), when it sent one. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

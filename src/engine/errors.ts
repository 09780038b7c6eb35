/**
 * Stable error codes (`error.code` of `convert-error`); a page may branch on them. Files refused by the
 * restrictions never start, and carry a `RejectionCode` (`convert-rejected`) instead.
 */
export type ErrorCode =
  | 'token-endpoint-failed'
  | 'token-provider-failed'
  | 'token-rejected'
  | 'unauthorized'
  | 'upload-failed'
  | 'conversion-failed'
  | 'conversion-unsupported'
  | 'quota-exceeded'
  | 'rate-limited'
  | 'network'
  | 'timeout'
  | 'canceled'
  | 'invalid-response';

/**
 * Codes whose cause may pass by itself, so trying again later can succeed. The others (`token-rejected`,
 * `conversion-unsupported`…) are final unless an error says otherwise: no need to pass `retryable: false`.
 */
const retryableCodes: ReadonlySet<ErrorCode> = new Set([
  'token-endpoint-failed',
  'token-provider-failed',
  'upload-failed',
  'conversion-failed',
  'rate-limited',
  'network',
  'timeout',
  'invalid-response',
]);

export interface ConvertErrorOptions {
  /** HTTP status of the answer that failed, when there was one. */
  status?: number;
  /** The service's own error code (ConvertAPI `Code`, CloudConvert `code`). */
  providerCode?: string | number;
  /** How long the service asked us to wait before trying again. */
  retryAfterMs?: number;
  /** Overrides whether a visitor may try again (the element then offers Retry). */
  retryable?: boolean;
  /** Whether the same request may simply be repeated after a pause (overload, a gateway failure). */
  transient?: boolean;
  cause?: unknown;
}

/**
 * A failure with a stable code. Its `message` is for developers (debugging, the tests) and never
 * carries a credential; the CDN files leave it empty (scripts/drop-developer-messages.ts). What a
 * visitor reads, and what `convert-error` reports, comes from the element's strings for `code`.
 */
export class ConvertError extends Error {
  override readonly name = 'ConvertError';
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly providerCode: string | number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly transient: boolean;

  constructor(code: ErrorCode, message: string, options: ConvertErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? retryableCodes.has(code);
    this.transient = options.transient ?? (code === 'rate-limited' || isGatewayStatus(options.status));
  }
}

function isGatewayStatus(status: number | undefined): boolean {
  return status === 502 || status === 503 || status === 504;
}

/** Normalises anything thrown into a ConvertError (an AbortError becomes `canceled`). */
export function toConvertError(error: unknown, fallback: ErrorCode = 'network'): ConvertError {
  if (error instanceof ConvertError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new ConvertError('canceled', 'The request was canceled.', { cause: error });
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new ConvertError('timeout', 'The request timed out.', { cause: error });
  }
  return new ConvertError(fallback, error instanceof Error ? error.message : String(error), { cause: error });
}

/** The public shape of an error, as carried by `convert-error` and `item.error`. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  status?: number;
  providerCode?: string | number;
  retryable: boolean;
}

/** The service's catalogue says it does not convert `from` to `to` (found before any upload). */
export function unsupportedConversion(from: string, to: string): ConvertError {
  return new ConvertError('conversion-unsupported', `The service does not convert ${from} to ${to}.`);
}

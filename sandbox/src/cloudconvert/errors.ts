/** Field name → messages, as in the API's 422 `errors` object. */
export type FieldErrors = Record<string, string[]>;

/** An API error answered as `{ message, code, errors? }` (docs/cloudconvert.md §7.1). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The JSON body the API answers with. */
  toBody(): { message: string; code: string; errors?: FieldErrors } {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

/** 401, as the real sandbox answers an invalid or missing key (docs/cloudconvert.md §7.2, §12.4). */
export function unauthenticated(): ApiError {
  return new ApiError(401, 'UNAUTHENTICATED', 'Unauthenticated.');
}

/**
 * 403 for a token that lacks the endpoint's scope.
 * Unconfirmed (docs/cloudconvert.md §7.2 only says SDKs map 403): the message is Laravel Passport's
 * `MissingScopeException` text and the code a plain `FORBIDDEN`; clients should key on the status.
 */
export function missingScope(scope: string): ApiError {
  return new ApiError(
    403,
    'FORBIDDEN',
    `Invalid scope(s) provided. This action requires the ${scope} scope.`,
  );
}

/** 422 validation error (docs/cloudconvert.md §7.2, §12.4). */
export function invalidData(errors: FieldErrors): ApiError {
  return new ApiError(422, 'INVALID_DATA', 'The given data was invalid.', errors);
}

/** 402 when the account has no credits left (docs/cloudconvert.md §12.4, PHP fixture). */
export function creditsExceeded(): ApiError {
  return new ApiError(402, 'CREDITS_EXCEEDED', 'Your account has run out of conversion minutes');
}

/**
 * 429 with `Retry-After` (docs/cloudconvert.md §7.4). The body shape is unconfirmed; `{message, code}`
 * like every other error, with Laravel's throttle message.
 */
export function tooManyRequests(retryAfterSec: number, headers: Record<string, string>): ApiError {
  return new ApiError(429, 'TOO_MANY_REQUESTS', 'Too Many Attempts.', undefined, {
    ...headers,
    'Retry-After': String(retryAfterSec),
  });
}

/** 404 for an unknown or foreign job or task. Body unconfirmed; same `{message, code}` form. */
export function notFound(what: 'Job' | 'Task' | 'Resource'): ApiError {
  return new ApiError(404, 'NOT_FOUND', `${what} not found`);
}

/** 400 for a request that cannot apply to the resource in its current state. */
export function invalidRequest(message: string, errors?: FieldErrors): ApiError {
  return new ApiError(400, 'INVALID_DATA', message, errors);
}

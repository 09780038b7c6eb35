import {
  TokenRequestError,
  validateTokenRequest,
  type TokenRequestRules,
} from '../contract/token-request-check.js';
import type { TokenRequest } from '../contract/token-request.js';
import { RequestError } from './errors.js';

/** What a handler accepts in a batch. */
export type BatchRules = TokenRequestRules;

/**
 * Validates a parsed request body against the token-endpoint contract and `rules` (see
 * `validateTokenRequest`), turning a refusal into a 400 {@link RequestError} that carries its code, and
 * for `too-many-files` the `limit` with which the element asks again for fewer files.
 */
export function parseTokenRequest(body: unknown, rules: BatchRules): TokenRequest {
  try {
    return validateTokenRequest(body, rules);
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    const details = error.limit === undefined ? {} : { limit: String(error.limit) };
    throw new RequestError(400, error.code, error.message, {}, details);
  }
}

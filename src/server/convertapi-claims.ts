import type { JWTPayload } from 'jose';

/**
 * The claim names of a ConvertAPI self-signed JWT. They come from ConvertAPI's help-centre article on authentication
 * (docs/convertapi.md §5) and are not confirmed by any other official source, so they live here and only here.
 */
export const CONVERTAPI_CLAIM_NAMES = {
  /** Random 8-character alphanumeric identifier of the token. */
  id: 'Id',
  /** How many API requests the token allows. */
  requestCount: 'RequestCount',
  /** Expiry as Unix seconds. */
  validUntil: 'ValidUntil',
  /** The only client IP allowed to use the token (optional). */
  userIp: 'UserIp',
  /** The account's API key. */
  apiKey: 'ApiKey',
} as const;

/** The values of one ConvertAPI JWT. */
export interface ConvertApiClaims {
  readonly id: string;
  readonly requestCount: number;
  /** Unix seconds. */
  readonly validUntil: number;
  readonly userIp?: string;
  readonly apiKey: string;
}

/** The JWT payload carrying `claims` under ConvertAPI's claim names. */
export function convertApiJwtPayload(claims: ConvertApiClaims): JWTPayload {
  const names = CONVERTAPI_CLAIM_NAMES;
  const payload: JWTPayload = {
    [names.id]: claims.id,
    [names.requestCount]: claims.requestCount,
    [names.validUntil]: claims.validUntil,
    [names.apiKey]: claims.apiKey,
  };
  if (claims.userIp !== undefined) payload[names.userIp] = claims.userIp;
  return payload;
}

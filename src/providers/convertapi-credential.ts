import {
  bareToken,
  checkLifetime,
  credentialExpiry,
  decodeJwtClaims,
  type Credential,
  type CredentialParser,
} from '../engine/credential-guard.js';

/** A ConvertAPI token or self-signed JWT, good for `uses` requests until `expiresAt`. */
export interface ConvertApiCredential extends Credential {
  readonly kind: 'convertapi-token';
  readonly secretValue: string;
  readonly expiresAt: number;
  readonly uses: number;
}

/** Whether a credential is ConvertAPI's. */
export function isConvertApiCredential(credential: Credential): credential is ConvertApiCredential {
  return credential.kind === 'convertapi-token';
}

/**
 * ConvertAPI's half of the guard: `token` must be near its expiry (a JWT's own `exp`/`ValidUntil`, else the
 * stated `expiresAt`); its uses are the JWT's `RequestCount` or the stated `requestCount`, whichever is fewer,
 * one when neither says.
 */
export const parseConvertApiCredential: CredentialParser = (answer, options): ConvertApiCredential => {
  const token = bareToken(answer['token'], 'token');
  const jwt = decodeJwtClaims(token);
  const expiresAt = checkLifetime(credentialExpiry(jwt, answer['expiresAt'], options), options, 'token');
  const stated = answer['requestCount'];
  const statedUses =
    typeof stated === 'number' && Number.isInteger(stated) && stated > 0 ? stated : undefined;
  const uses =
    jwt?.requestCount !== undefined ? Math.min(jwt.requestCount, statedUses ?? Infinity) : statedUses;
  return { kind: 'convertapi-token', secretValue: token, expiresAt, uses: uses ?? 1 };
};

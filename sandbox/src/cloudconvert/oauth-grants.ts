import { createHash, randomBytes } from 'node:crypto';

/** An approved authorize request, waiting to be exchanged at the token endpoint. */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
  /** Tokens issued from this code, revoked if the code is replayed (RFC 6749 §4.1.2). */
  accessTokenIds: string[];
  refreshTokens: string[];
}

/** A refresh token and what it can renew. */
export interface RefreshGrant {
  clientId: string;
  scopes: string[];
  accessTokenId: string;
  expiresAt: number;
  revoked: boolean;
}

/** An authorize request shown on the consent page, identified by the page's `auth_token`. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain';
  expiresAt: number;
}

/** Lifetime of authorization codes: league/oauth2-server's default, 10 minutes (unconfirmed for CloudConvert). */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Lifetime of refresh tokens: unconfirmed (docs/cloudconvert.md §14.2); 30 days. */
export const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** How long the consent page stays valid. */
export const CONSENT_LIFETIME_MS = 10 * 60 * 1000;

/** Opaque random token text (base64url). */
export function opaqueToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** RFC 7636 §4.6: does the verifier match the challenge? */
export function verifierMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === challenge;
}

/** RFC 7636 §4.1: 43–128 unreserved characters. */
export function isValidPkceValue(value: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(value);
}

/** In-memory OAuth state: consent requests, codes and refresh tokens, each expiring. */
export class GrantStore {
  readonly pending = new Map<string, PendingAuthorization>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();

  /** Drops expired entries (called on each request; the maps stay small). */
  sweep(now: number = Date.now()): void {
    for (const [key, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(key);
    for (const [key, entry] of this.codes) if (entry.expiresAt <= now) this.codes.delete(key);
    for (const [key, entry] of this.refreshTokens) if (entry.expiresAt <= now) this.refreshTokens.delete(key);
  }
}

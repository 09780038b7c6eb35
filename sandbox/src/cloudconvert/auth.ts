import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignJWT, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { missingScope, unauthenticated } from './errors.js';
import type { Scope } from './scopes.js';

/** Who a request acts for, once its bearer token checked out. */
export interface Principal {
  userId: number;
  scopes: readonly string[];
  kind: 'api-key' | 'access-token';
  tokenId: string;
}

interface IssuedToken {
  kind: Principal['kind'];
  revoked: boolean;
}

/** Audience of API keys: Laravel Passport's personal access client is client "1" (docs/cloudconvert.md §8). */
const API_KEY_AUDIENCE = '1';
/** Real keys expire around 2119 (docs/cloudconvert.md §8): about a century. */
const API_KEY_LIFETIME_SEC = 100 * 365 * 24 * 3600;

/**
 * Issues and checks the RS256 JWTs that serve as both API keys and OAuth access tokens.
 * The RSA key pair is generated per start; tokens from another start never verify.
 */
export class TokenAuthority {
  private readonly issued = new Map<string, IssuedToken>();

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly userId: number,
  ) {}

  /** A fresh authority (new key pair) for the given user. */
  static async create(userId: number): Promise<TokenAuthority> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return new TokenAuthority(privateKey, publicKey, userId);
  }

  /** An API key with the given scopes, shaped like the real ones (header and claims of docs/cloudconvert.md §8). */
  async issueApiKey(scopes: readonly string[]): Promise<string> {
    return this.sign('api-key', API_KEY_AUDIENCE, scopes, API_KEY_LIFETIME_SEC);
  }

  /** A short-lived OAuth access token for a client. */
  async issueAccessToken(
    clientId: string,
    scopes: readonly string[],
    lifetimeSec: number,
  ): Promise<{ token: string; tokenId: string }> {
    const token = await this.sign('access-token', clientId, scopes, lifetimeSec);
    return { token, tokenId: tokenIdOf(token) };
  }

  /** Makes a token unusable from now on. */
  revoke(tokenId: string): void {
    const entry = this.issued.get(tokenId);
    if (entry) entry.revoked = true;
  }

  /**
   * Checks `Authorization: Bearer <jwt>`; throws the API's 401 for a missing, malformed, foreign,
   * expired or revoked token.
   */
  async authenticate(headers: IncomingHttpHeaders): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    if (!match) throw unauthenticated();
    try {
      const { payload } = await jwtVerify(match[1] ?? '', this.publicKey, { algorithms: ['RS256'] });
      const tokenId = payload.jti ?? '';
      const entry = this.issued.get(tokenId);
      if (!entry || entry.revoked || payload.sub !== String(this.userId)) throw unauthenticated();
      const scopes = Array.isArray(payload['scopes']) ? payload['scopes'].map(String) : [];
      return { userId: this.userId, scopes, kind: entry.kind, tokenId };
    } catch {
      throw unauthenticated();
    }
  }

  private async sign(
    kind: Principal['kind'],
    audience: string,
    scopes: readonly string[],
    lifetimeSec: number,
  ): Promise<string> {
    const tokenId = randomBytes(40).toString('hex');
    const now = Math.floor(Date.now() / 1000);
    this.issued.set(tokenId, { kind, revoked: false });
    return new SignJWT({ scopes: [...scopes] })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', jti: tokenId })
      .setAudience(audience)
      .setJti(tokenId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSec)
      .setSubject(String(this.userId))
      .sign(this.privateKey);
  }
}

/** Throws the API's 403 unless the principal holds the scope. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.includes(scope)) throw missingScope(scope);
}

function tokenIdOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    jti?: string;
  };
  return payload.jti ?? '';
}

import { jwtVerify } from 'jose';
import type { ConvertApiAccount } from './account.js';
import { errors } from './errors.js';
import { UsageCounter } from './usage.js';

/**
 * The claim names of a self-signed ConvertAPI JWT, per ConvertAPI's help-centre article on authentication: the
 * only source for them, so they live here alone. [?] Not confirmed by ConvertAPI's API reference or SDKs
 * (docs/convertapi.md §5).
 */
export const JWT_CLAIMS = {
  id: 'Id',
  requestCount: 'RequestCount',
  validUntil: 'ValidUntil',
  userIp: 'UserIp',
  apiKey: 'ApiKey',
} as const;

/** A three-part compact JWS: how the server tells a JWT from a secret or a token id. */
export function looksLikeJwt(credential: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential);
}

export interface VerifiedJwt {
  id: string;
  requestCount: number;
  /** Seconds since the epoch. */
  validUntil: number;
}

/**
 * Verifies a JWT as ConvertAPI would: HS256 with the account secret, `ValidUntil` in the future,
 * `ApiKey` the account's, `UserIp` (when set) the caller's address. Any failure is 4012.
 */
export async function verifyJwt(
  jwt: string,
  account: ConvertApiAccount,
  clientIp: string,
  now: number = Date.now(),
): Promise<VerifiedJwt> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, new TextEncoder().encode(account.secret), {
      algorithms: ['HS256'],
      currentDate: new Date(now),
    }));
  } catch {
    throw errors.badJwt();
  }
  const id = payload[JWT_CLAIMS.id];
  const validUntil = Number(payload[JWT_CLAIMS.validUntil]);
  const apiKey = payload[JWT_CLAIMS.apiKey];
  const userIp = payload[JWT_CLAIMS.userIp];
  const rawCount = payload[JWT_CLAIMS.requestCount];
  // [?] A JWT without RequestCount is accepted as good for one request (the help-centre article's example value).
  const requestCount = rawCount === undefined ? 1 : Number(rawCount);

  if (typeof id !== 'string' || id === '') throw errors.badJwt();
  if (!Number.isFinite(validUntil) || validUntil * 1000 <= now) throw errors.badJwt();
  // The ApiKey is a number on the account page; a JWT may carry it as a number or a string.
  if ((typeof apiKey !== 'string' && typeof apiKey !== 'number') || String(apiKey) !== account.apiKey) {
    throw errors.badJwt();
  }
  if (userIp !== undefined && userIp !== null && userIp !== '' && userIp !== clientIp) throw errors.badJwt();
  if (!Number.isSafeInteger(requestCount) || requestCount < 1) throw errors.badJwt();
  return { id, requestCount, validUntil };
}

/** Uses per JWT `Id`, so a used-up JWT is refused when replayed, even re-signed with a new count. */
export class JwtUsage {
  readonly #counters = new Map<string, { counter: UsageCounter; validUntil: number }>();

  counterFor(jwt: VerifiedJwt, now: number = Date.now()): UsageCounter {
    this.#prune(now);
    let entry = this.#counters.get(jwt.id);
    if (!entry) {
      entry = { counter: new UsageCounter(jwt.requestCount), validUntil: jwt.validUntil };
      this.#counters.set(jwt.id, entry);
    }
    return entry.counter;
  }

  /** An expired JWT is refused anyway, so its counter can go. */
  #prune(now: number): void {
    for (const [id, entry] of this.#counters) if (entry.validUntil * 1000 <= now) this.#counters.delete(id);
  }
}

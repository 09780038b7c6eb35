import { RequestError, UpstreamError } from './errors.js';
import { refreshAccessToken, type OAuthClient, type OAuthTokens } from './oauth-token-client.js';
import type { Sealer } from './sealed-token.js';
import type { TokenStore, TokenStoreLock } from './token-store.js';
import { UPSTREAM_TIMEOUT_MS } from './upstream.js';

/** Each visitor's CloudConvert connection: stored encrypted, refreshed ahead of expiry, one refresh at a time. */
export interface OAuthConnections {
  /** Encrypts and stores `tokens` for `visitorId`. */
  save(visitorId: string, tokens: OAuthTokens): Promise<void>;
  /**
   * An access token for `visitorId` with more than the leeway left, refreshing if needed. Throws the 401
   * `not-connected` error when the visitor has no (more) usable connection.
   */
  accessToken(visitorId: string): Promise<OAuthTokens>;
  /** Forgets the visitor's connection. */
  forget(visitorId: string): Promise<void>;
}

/** A stored record as read: its sealed text (its version) and what it holds. */
interface StoredTokens {
  readonly sealed: string;
  readonly tokens: OAuthTokens | undefined;
}

/** A refresh lock lapses after this long: a refresh call gives up after `UPSTREAM_TIMEOUT_MS`. */
const LOCK_TTL_MS = UPSTREAM_TIMEOUT_MS + 10_000;
/** How long a request waits for another instance's refresh of the same visitor. */
const LOCK_WAIT_MS = UPSTREAM_TIMEOUT_MS + 5_000;
/** Rounds of "the record changed under us, look again" before giving up. */
const MAX_ROUNDS = 5;
/**
 * Without a lock, a failed refresh may be the loser of a race whose winner has not written yet: the kit looks
 * again after these pauses before it forgets the connection.
 */
const GRACE_PAUSES_MS = [50, 100, 200, 400];

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds {@link OAuthConnections}; `notConnected` makes the error thrown when there is nothing to hand out. */
export function createOAuthConnections(
  store: TokenStore,
  sealer: Sealer,
  client: OAuthClient,
  refreshLeewaySec: number,
  notConnected: () => RequestError,
): OAuthConnections {
  const refreshing = new Map<string, Promise<OAuthTokens>>();

  const seal = (visitorId: string, tokens: OAuthTokens): Promise<string> =>
    sealer.seal(
      {
        at: tokens.accessToken,
        ate: tokens.expiresAt,
        ...(tokens.refreshToken ? { rt: tokens.refreshToken } : {}),
      },
      { subject: visitorId },
    );

  const save = async (visitorId: string, tokens: OAuthTokens): Promise<void> => {
    await store.set(visitorId, await seal(visitorId, tokens));
  };

  const read = async (visitorId: string): Promise<StoredTokens | undefined> => {
    const sealed = await store.get(visitorId);
    if (sealed === undefined) return undefined;
    const opened = await sealer.open(sealed, { subject: visitorId });
    if (!opened.ok) return { sealed, tokens: undefined };
    const { at, ate, rt } = opened.payload;
    if (typeof at !== 'string' || typeof ate !== 'number') return { sealed, tokens: undefined };
    const tokens =
      typeof rt === 'string'
        ? { accessToken: at, expiresAt: ate, refreshToken: rt }
        : { accessToken: at, expiresAt: ate };
    return { sealed, tokens };
  };

  const fresh = (tokens: OAuthTokens): boolean =>
    tokens.expiresAt - Math.floor(Date.now() / 1000) > refreshLeewaySec;

  /** Writes `next` if the record is still `expected` (atomically when the store can). */
  const replace = async (visitorId: string, expected: string, next: string): Promise<boolean> => {
    if (store.compareAndSet !== undefined) return store.compareAndSet(visitorId, expected, next);
    if ((await store.get(visitorId)) !== expected) return false;
    await store.set(visitorId, next);
    return true;
  };

  /** Deletes the record if it is still `expected` (atomically when the store can). */
  const remove = async (visitorId: string, expected: string): Promise<void> => {
    if (store.deleteIfUnchanged !== undefined) {
      await store.deleteIfUnchanged(visitorId, expected);
      return;
    }
    if ((await store.get(visitorId)) === expected) await store.delete(visitorId);
  };

  /** Takes the store's refresh lock of `visitorId`, waiting for another holder; `undefined` without a lock. */
  const lock = async (visitorId: string): Promise<TokenStoreLock | undefined> => {
    if (store.lock === undefined) return undefined;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const held = await store.lock(visitorId, LOCK_TTL_MS);
      if (held !== undefined) return held;
      if (Date.now() > deadline) {
        throw new RequestError(503, 'rate-limited', 'The connection is being renewed; try again shortly.', {
          'Retry-After': '1',
        });
      }
      await pause(wait + Math.random() * wait);
    }
  };

  /** Whether the token endpoint said the grant is gone (revoked, expired, or already rotated). */
  const grantRefused = (error: unknown): boolean =>
    error instanceof UpstreamError && (error.upstreamStatus === 400 || error.upstreamStatus === 401);

  /** After a refused grant without a lock: waits a little for a concurrent winner's write to show. */
  const changedMeanwhile = async (visitorId: string, sealed: string, locked: boolean): Promise<boolean> => {
    for (const wait of locked ? [0] : [0, ...GRACE_PAUSES_MS]) {
      if (wait > 0) await pause(wait);
      if ((await store.get(visitorId)) !== sealed) return true;
    }
    return false;
  };

  /** One refresh of `visitorId`, safe against other instances refreshing it at the same time. */
  const refresh = async (visitorId: string): Promise<OAuthTokens> => {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const held = await lock(visitorId);
      try {
        const current = await read(visitorId);
        if (current?.tokens === undefined) throw notConnected();
        const { sealed, tokens } = current;
        if (fresh(tokens)) return tokens; // another instance refreshed meanwhile
        if (tokens.refreshToken === undefined) {
          await remove(visitorId, sealed);
          throw notConnected();
        }
        let next: OAuthTokens;
        try {
          next = await refreshAccessToken(client, tokens.refreshToken);
        } catch (error) {
          if (!grantRefused(error)) throw error;
          // Revoked or expired, or rotated by another instance: only the record can tell.
          if (await changedMeanwhile(visitorId, sealed, held !== undefined)) continue;
          await remove(visitorId, sealed);
          throw notConnected();
        }
        if (await replace(visitorId, sealed, await seal(visitorId, next))) return next;
        // The record changed while we refreshed (a new connection, or a logout): respect it.
        const now = await read(visitorId);
        if (now === undefined) throw notConnected();
        return next;
      } finally {
        await held?.release();
      }
    }
    throw new RequestError(503, 'rate-limited', 'The connection is being renewed; try again shortly.', {
      'Retry-After': '1',
    });
  };

  const accessToken = async (visitorId: string): Promise<OAuthTokens> => {
    const pending = refreshing.get(visitorId);
    if (pending !== undefined) return pending;
    const current = await read(visitorId);
    if (current?.tokens === undefined) throw notConnected();
    if (fresh(current.tokens)) return current.tokens;
    // Concurrent requests of this instance share one refresh; other instances are kept apart by the store.
    const started = refreshing.get(visitorId);
    if (started !== undefined) return started;
    const refreshed = refresh(visitorId).finally(() => refreshing.delete(visitorId));
    refreshing.set(visitorId, refreshed);
    return refreshed;
  };

  return { save, accessToken, forget: async (visitorId) => store.delete(visitorId) };
}

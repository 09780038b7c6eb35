import type { Awaitable } from './endpoint-guard.js';

/** A held lock of a {@link TokenStore}; `release` frees it (a lock also frees itself once its time is up). */
export interface TokenStoreLock {
  release(): Awaitable<void>;
}

/**
 * Where `cloudConvertOAuth` keeps each visitor's CloudConvert connection. Records arrive already encrypted (JWE):
 * the store never sees a refresh token in clear. `set` replaces the visitor's record and `delete` of an unknown
 * visitor is not an error. Each record is a new random string, so comparing records is comparing versions.
 *
 * OAuth hosts may rotate refresh tokens (each works once; the sandbox does, CloudConvert is assumed to). With
 * several instances sharing a store, two of them refreshing one visitor at once would both present it, and the
 * loser would get `invalid_grant`. The optional members make that safe; the kit uses each one the store has:
 * - `lock(visitorId, ttlMs)`: tries to take a short lock (free it with `release()`, or it lapses after `ttlMs`);
 *   answers `undefined`, without waiting, when another holder has it. Refreshes of one visitor then happen one at
 *   a time across instances, and whoever waited reads the record its predecessor wrote.
 * - `compareAndSet(visitorId, expected, next)`: writes `next` only if the record is still `expected`
 *   (`undefined`: absent), atomically; answers whether it wrote.
 * - `deleteIfUnchanged(visitorId, expected)`: deletes only if the record is still `expected`, atomically.
 *
 * Whatever the store, after an `invalid_grant` the kit reads the record again and only forgets it when it still
 * holds the refresh token that failed. `memoryTokenStore()` and `redisTokenStore()` have all three. The store
 * must read its own writes at once (strong consistency): an eventually consistent store such as Workers KV is
 * **not suitable**, because a stale read hands out a refresh token that another instance already rotated.
 */
export interface TokenStore {
  get(visitorId: string): Awaitable<string | undefined>;
  set(visitorId: string, encryptedRecord: string): Awaitable<void>;
  delete(visitorId: string): Awaitable<void>;
  compareAndSet?(visitorId: string, expected: string | undefined, next: string): Awaitable<boolean>;
  deleteIfUnchanged?(visitorId: string, expected: string): Awaitable<boolean>;
  lock?(visitorId: string, ttlMs: number): Awaitable<TokenStoreLock | undefined>;
}

/**
 * A {@link TokenStore} in this process's memory, holding at most `maxEntries` visitors (the least recently written
 * is forgotten first). Connections are lost on restart and not shared between instances: fine for development and
 * single-instance sites. It has the atomic operations and the lock, for handlers of one process sharing it.
 */
export function memoryTokenStore({ maxEntries = 10_000 }: { maxEntries?: number } = {}): TokenStore {
  const records = new Map<string, string>();
  const locks = new Map<string, { owner: object; expiresAt: number }>();

  const set = (visitorId: string, encryptedRecord: string): void => {
    records.delete(visitorId);
    records.set(visitorId, encryptedRecord);
    for (const oldest of records.keys()) {
      if (records.size <= maxEntries) break;
      records.delete(oldest);
    }
  };

  return {
    get: (visitorId) => records.get(visitorId),
    set,
    delete(visitorId) {
      records.delete(visitorId);
    },
    compareAndSet(visitorId, expected, next) {
      if (records.get(visitorId) !== expected) return false;
      set(visitorId, next);
      return true;
    },
    deleteIfUnchanged(visitorId, expected) {
      if (records.get(visitorId) !== expected) return false;
      records.delete(visitorId);
      return true;
    },
    lock(visitorId, ttlMs) {
      const now = Date.now();
      const held = locks.get(visitorId);
      if (held !== undefined && held.expiresAt > now) return undefined;
      const owner = {};
      locks.set(visitorId, { owner, expiresAt: now + ttlMs });
      return {
        release() {
          if (locks.get(visitorId)?.owner === owner) locks.delete(visitorId);
        },
      };
    },
  };
}

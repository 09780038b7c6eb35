import { ConfigurationError } from './errors.js';

/** The state of one fixed window after counting a hit. */
export interface RateLimitHit {
  /** Units counted in the window so far, this hit included. */
  readonly count: number;
  /** When the window ends, in milliseconds since the epoch. */
  readonly resetAt: number;
}

/**
 * Where the handlers count requests (rate limits) and issued conversions (issuance budgets): fixed windows per
 * key, counted atomically. Share one store between instances (`redisRateLimitStore(client)`) and they count
 * together, so N instances serve a limit once, not N times.
 *
 * `hit` adds `cost` to the window of `key` and returns the total and the window's end, atomically: two
 * instances counting at once must both see their own increment. The first hit of a key (or the first after its
 * window ended) starts a new window of `windowMs`, and the key may be forgotten once it ends. `cost` is
 * negative when the issuance budget takes back the units of a request it refused. A store that
 * cannot count a new key (because it is full) answers a `count` of `Infinity`, which refuses the request.
 * If `hit` throws, the request is refused (500, reported to `onError`): a limiter that cannot count fails closed.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number, cost: number): RateLimitHit | Promise<RateLimitHit>;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * A {@link RateLimitStore} in this process's memory: the default, right for one instance. It tracks at most
 * `maxKeys` live windows (default 100,000). A live window is never dropped to make room (that would let a
 * client that floods it with new keys start over); while the store is full, **new keys are refused** (their
 * hit counts `Infinity`, so the request gets 429) until windows end.
 */
export function memoryRateLimitStore({ maxKeys = 100_000 }: { maxKeys?: number } = {}): RateLimitStore {
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new ConfigurationError('The option "maxKeys" must be a positive integer.');
  }
  // Insertion order is creation order: windows of one length end in that order, so sweeping stops early.
  const windows = new Map<string, Window>();
  let lastFullSweep = 0;

  const sweep = (now: number): void => {
    for (const [key, window] of windows) {
      if (window.resetAt > now) break;
      windows.delete(key);
    }
    // Windows of different lengths can end out of order: look at all of them, at most once a second.
    if (windows.size >= maxKeys && now - lastFullSweep >= 1000) {
      lastFullSweep = now;
      for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    }
  };

  return {
    hit(key, windowMs, cost) {
      const now = Date.now();
      let window = windows.get(key);
      if (window !== undefined && window.resetAt <= now) {
        windows.delete(key);
        window = undefined;
      }
      if (window === undefined) {
        if (windows.size >= maxKeys) sweep(now);
        if (windows.size >= maxKeys) {
          const [oldest] = windows.values();
          return { count: Infinity, resetAt: oldest?.resetAt ?? now + windowMs };
        }
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += cost;
      return { count: window.count, resetAt: window.resetAt };
    },
  };
}

import { ConfigurationError } from './errors.js';
import type { RateLimitStore } from './rate-limit-store.js';

/** How many requests one client may make per window. */
export interface RateLimitOptions {
  /** Window length in milliseconds. */
  windowMs: number;
  /** Requests allowed per client and window. */
  max: number;
}

/** The outcome of counting one request. */
export type RateLimitDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSec: number };

/** A fixed-window counter per client key, kept in a {@link RateLimitStore}. */
export interface RateLimiter {
  /** Whether the limiter counts anything (`false` when limiting is off). */
  readonly enabled: boolean;
  /** Counts `cost` (default 1) for `key` and says whether it is within the limit. */
  take(key: string, cost?: number): Promise<RateLimitDecision>;
}

/** Checks `{ windowMs, max }` (`windowMs` ≥ 1000, `max` ≥ 1, integers). */
export function checkWindow(value: unknown, option: string): RateLimitOptions {
  const { windowMs, max } = (value ?? {}) as Partial<RateLimitOptions>;
  if (
    !Number.isSafeInteger(windowMs) ||
    (windowMs as number) < 1000 ||
    !Number.isSafeInteger(max) ||
    (max as number) < 1
  ) {
    throw new ConfigurationError(
      `The option "${option}" needs an integer windowMs ≥ 1000 and an integer max ≥ 1.`,
    );
  }
  return { windowMs: windowMs as number, max: max as number };
}

/**
 * Creates a fixed-window rate limiter counting in `store` under keys `<name>:<client key>`. Instances sharing a
 * store share their counts. `false` disables limiting.
 */
export function createRateLimiter(
  options: RateLimitOptions | false | undefined,
  fallback: RateLimitOptions,
  option: string,
  store: RateLimitStore,
  name: string,
): RateLimiter {
  if (options === false) return { enabled: false, take: () => Promise.resolve({ allowed: true }) };
  const { windowMs, max } = checkWindow(options ?? fallback, option);
  return {
    enabled: true,
    async take(key, cost = 1) {
      const { count, resetAt } = await store.hit(`${name}:${key}`, windowMs, cost);
      if (count <= max) return { allowed: true };
      return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) };
    },
  };
}

import { ConfigurationError } from './errors.js';

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

/** An in-memory fixed-window counter per client key. */
export interface RateLimiter {
  /** Counts one request of `key` and says whether it is within the limit. */
  take(key: string, now?: number): RateLimitDecision;
}

/** At most this many clients are tracked at once, so spoofed keys cannot exhaust memory. */
const MAX_TRACKED_KEYS = 10_000;

/**
 * Creates a fixed-window rate limiter kept in this process's memory (per instance: a fleet of N instances lets a
 * client make up to N × `max` requests per window). `false` disables limiting.
 */
export function createRateLimiter(
  options: RateLimitOptions | false | undefined,
  fallback: RateLimitOptions,
  option: string,
): RateLimiter {
  if (options === false) return { take: () => ({ allowed: true }) };
  const { windowMs, max } = options ?? fallback;
  if (!Number.isSafeInteger(windowMs) || windowMs < 1000 || !Number.isSafeInteger(max) || max < 1) {
    throw new ConfigurationError(
      `The option "${option}" needs an integer windowMs ≥ 1000 and an integer max ≥ 1.`,
    );
  }
  const windows = new Map<string, { count: number; resetAt: number }>();

  const forgetExpired = (now: number): void => {
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    // Still full of live windows: drop the oldest, which lets those clients start over (fail open for them only).
    for (const key of windows.keys()) {
      if (windows.size < MAX_TRACKED_KEYS) break;
      windows.delete(key);
    }
  };

  return {
    take(key, now = Date.now()) {
      let window = windows.get(key);
      if (window === undefined || window.resetAt <= now) {
        if (window === undefined && windows.size >= MAX_TRACKED_KEYS) forgetExpired(now);
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count <= max) return { allowed: true };
      return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
    },
  };
}

import { tooManyRequests } from './errors.js';

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute window per user, like Laravel's throttle middleware behind the api host.
 * `hit` counts a request and returns the headers to send; it throws the 429 once the window is full.
 */
export class RateLimiter {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly limit: () => number) {}

  /** Counts one request; throws `ApiError` 429 (with `Retry-After`) past the limit. */
  hit(now: number = Date.now()): Record<string, string> {
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.count = 0;
    }
    const limit = this.limit();
    if (this.count >= limit) {
      const retryAfterSec = Math.max(1, Math.ceil((this.windowStart + WINDOW_MS - now) / 1000));
      throw tooManyRequests(retryAfterSec, {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.ceil((this.windowStart + WINDOW_MS) / 1000)),
      });
    }
    this.count += 1;
    return { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(limit - this.count) };
  }

  /** Starts a new window (used when the sandbox control changes the limit). */
  reset(): void {
    this.windowStart = 0;
    this.count = 0;
  }
}

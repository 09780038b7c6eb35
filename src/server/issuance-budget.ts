import { ConfigurationError, RequestError } from './errors.js';
import type { OriginVerdict } from './origin-policy.js';
import type { RateLimitStore } from './rate-limit-store.js';

/**
 * How many conversions (files) may be issued per window: `perOrigin` for each calling origin (a listed
 * cross-origin page, the site itself, or all non-browser callers together), `total` across all of them. Give one
 * or both. ConvertAPI credentials count their `RequestCount`; CloudConvert jobs and access tokens their files.
 */
export interface IssuanceBudgetOptions {
  /** Window length in milliseconds (at least 1000). */
  windowMs: number;
  /** Conversions per origin and window. */
  perOrigin?: number;
  /** Conversions across all callers per window. */
  total?: number;
}

/** The issuance budget of one handler. */
export interface IssuanceBudget {
  /** Counts `units` for the caller; throws 429 `rate-limited` when that goes over a cap. */
  spend(verdict: OriginVerdict, units: number): Promise<void>;
}

/** Builds the budget (a no-op without options); counts in `store` under `<handler>:budget-…` keys. */
export function createIssuanceBudget(
  options: IssuanceBudgetOptions | undefined,
  store: RateLimitStore,
  handlerName: string,
): IssuanceBudget {
  if (options === undefined) return { spend: () => Promise.resolve() };
  const { windowMs, perOrigin, total } = options as Partial<IssuanceBudgetOptions>;
  const cap = (value: unknown): boolean =>
    value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1);
  if (
    typeof windowMs !== 'number' ||
    !Number.isSafeInteger(windowMs) ||
    windowMs < 1000 ||
    !cap(perOrigin) ||
    !cap(total) ||
    (perOrigin === undefined && total === undefined)
  ) {
    throw new ConfigurationError(
      'The option "issuanceBudget" needs an integer windowMs ≥ 1000 and an integer perOrigin or total ≥ 1.',
    );
  }

  const refusal = (resetAt: number): RequestError =>
    new RequestError(429, 'rate-limited', 'This endpoint has issued all it may for now; try again later.', {
      'Retry-After': String(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000))),
    });

  /** Counts `units` under `key`; over `limit`, takes them back (a refusal spends nothing) and refuses. */
  const charge = async (
    key: string,
    limit: number | undefined,
    units: number,
  ): Promise<() => Promise<void>> => {
    if (limit === undefined) return () => Promise.resolve();
    const fullKey = `${handlerName}:${key}`;
    const refund = async (): Promise<void> => {
      await store.hit(fullKey, windowMs, -units);
    };
    const { count, resetAt } = await store.hit(fullKey, windowMs, units);
    if (count <= limit) return refund;
    await refund();
    throw refusal(resetAt);
  };

  return {
    async spend(verdict, units) {
      const origin =
        verdict.kind === 'cross-origin'
          ? verdict.origin
          : verdict.kind === 'same-origin'
            ? 'self'
            : 'non-browser';
      // The caller's own cap first: a caller over it does not eat into everyone's.
      const refundOrigin = await charge(`budget-origin:${origin}`, perOrigin, units);
      try {
        await charge('budget-total', total, units);
      } catch (error) {
        await refundOrigin();
        throw error;
      }
    },
  };
}

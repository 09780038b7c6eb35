import { type ConvertError, toConvertError } from './errors.js';
import { type HttpAnswer, parseJson } from './transport.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 15_000 };

/** Exponential backoff with full jitter; a service's `Retry-After` wins when it asks for longer. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, 5 * 60_000));
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(toConvertError(signal.reason));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(toConvertError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOptions {
  signal?: AbortSignal;
  policy?: RetryPolicy;
  /**
   * Whether a dropped connection is repeated too. Only for steps that are safe to repeat blindly
   * (an upload); a conversion whose answer was lost may have run, and is not sent twice.
   */
  retryNetworkErrors?: boolean;
  onRetry?: (error: ConvertError, delayMs: number) => void;
}

/**
 * Runs `step` again after a backoff while it fails transiently (429, 502-504, an explicitly
 * transient failure), up to the policy's attempts.
 */
export async function withRetry<T>(step: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (thrown) {
      const error = toConvertError(thrown);
      const transient = error.transient || (options.retryNetworkErrors === true && error.code === 'network');
      if (!transient || attempt >= policy.attempts || options.signal?.aborted) throw error;
      const delay = backoffDelay(attempt, policy, error.retryAfterMs);
      options.onRetry?.(error, delay);
      await sleep(delay, options.signal);
    }
  }
}

/**
 * Sends a request to a service with `withRetry`: an answer outside 2xx becomes the service's error
 * (`toError`, which tells whether it is transient), a 2xx answer its JSON body.
 */
export function exchange(
  send: () => Promise<HttpAnswer>,
  toError: (answer: HttpAnswer) => ConvertError,
  options?: RetryOptions,
): Promise<unknown> {
  return withRetry(async () => {
    const answer = await send();
    if (answer.status < 200 || answer.status >= 300) throw toError(answer);
    return parseJson(answer);
  }, options);
}

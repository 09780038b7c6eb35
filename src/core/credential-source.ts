import type { Provider } from '../element/types.js';
import { guardTokenResponse } from './credential-guard.js';
import { ConvertError, toConvertError } from './errors.js';
import type { Credential, TokenProvider, TokenRequest } from './token-types.js';
import { parseJson, request as httpRequest } from './transport.js';
import { secureUrl } from './url-policy.js';

export interface CredentialSourceOptions {
  provider: Provider;
  /** The host's token endpoint; relative URLs resolve against `baseUrl`. */
  endpoint?: string;
  /** Replaces the endpoint (custom headers, CSRF, the page's own auth). */
  tokenProvider?: TokenProvider;
  credentials?: RequestCredentials;
  maxLifetimeSeconds: number;
  baseUrl: string;
  /** How long before expiry a credential is renewed rather than used. */
  renewBeforeMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

/** A credential handed out for one request; its value is read only where the request is made. */
export interface CredentialLease {
  readonly credential: Credential;
  /** Reports that the service refused it: it is dropped and never handed out again. */
  reject(): void;
}

interface Held {
  credential: Credential;
  receivedAt: number;
  usesLeft: number | undefined;
  rejected: boolean;
}

/** The endpoint refused the request itself (4xx): perhaps for one file of the batch, or for their number. */
class RefusedBatch extends Error {
  constructor(
    override readonly cause: ConvertError,
    readonly limit: number | undefined,
  ) {
    super(cause.message);
  }
}

/** The `limit` of a `too-many-files` refusal (`{ error: { code, limit } }`), when the endpoint gave one. */
function batchLimitOf(text: string): number | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; limit?: unknown } } | null;
    if (body?.error?.code !== 'too-many-files') return undefined;
    const limit = Number(body.error.limit);
    return Number.isInteger(limit) && limit > 0 ? limit : undefined;
  } catch {
    return undefined;
  }
}

/** Settles like `promise`, or rejects as soon as `signal` aborts (the promise goes on for others). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(toConvertError(signal.reason));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Endpoint calls one acquisition may make before it gives up on an endpoint that hands out spent credentials. */
const maxCallsPerAcquisition = 4;

/**
 * Gets short-lived credentials from the host's token endpoint, one call at a time, and shares
 * them across files while they have uses and time left. A CloudConvert server job belongs to the
 * batch it was made for and is shared only within it. Credentials live only in private fields.
 */
export class CredentialSource {
  readonly #options: CredentialSourceOptions;
  #held: Held | undefined;
  readonly #jobs = new Map<string, Held>();
  #inFlight: { batchId: string; promise: Promise<Held> } | undefined;
  /** Most files the endpoint accepts in one request, once it has said so. */
  #batchLimit = Infinity;

  constructor(options: CredentialSourceOptions) {
    this.#options = options;
  }

  /**
   * A credential for one request. `request` describes every file of the batch that will still
   * need one (this file first), so that one endpoint call can cover them all.
   */
  async acquire(request: TokenRequest, batchId: string, signal?: AbortSignal): Promise<CredentialLease> {
    for (let calls = 0; calls < maxCallsPerAcquisition;) {
      if (signal?.aborted) throw toConvertError(signal.reason);
      const held = this.#jobs.get(batchId) ?? this.#usable();
      if (held) return this.#lease(held, batchId);
      const inFlight = this.#inFlight;
      if (inFlight && inFlight.batchId !== batchId) {
        // Single flight: wait for the other batch's call, then see whether its credential serves us too.
        await abortable(
          inFlight.promise.catch(() => undefined),
          signal,
        );
        continue;
      }
      calls += 1;
      const fresh = await abortable(inFlight?.promise ?? this.#startCall(request, batchId), signal);
      if (this.#isUsable(fresh)) return this.#lease(fresh, batchId);
    }
    throw new ConvertError('token-rejected', 'The token endpoint keeps answering with spent credentials.', {
      retryable: false,
    });
  }

  /** Forgets every held credential (for example when the element is removed from the page). */
  clear(): void {
    this.#held = undefined;
    this.#jobs.clear();
  }

  #lease(held: Held, batchId: string): CredentialLease {
    if (held.usesLeft !== undefined) held.usesLeft -= 1;
    return {
      credential: held.credential,
      reject: () => {
        held.rejected = true;
        if (this.#held === held) this.#held = undefined;
        if (this.#jobs.get(batchId) === held) this.#jobs.delete(batchId);
      },
    };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #isUsable(held: Held): boolean {
    if (held.rejected) return false;
    if (held.usesLeft !== undefined && held.usesLeft <= 0) return false;
    const { expiresAt } = held.credential;
    if (expiresAt === undefined) return true;
    // Renew ahead of expiry, but never so far ahead that a short-lived credential is never used.
    const margin = Math.min(this.#options.renewBeforeMs ?? 30_000, (expiresAt - held.receivedAt) / 2);
    return expiresAt - margin > this.#now();
  }

  #usable(): Held | undefined {
    return this.#held && this.#isUsable(this.#held) ? this.#held : undefined;
  }

  #startCall(request: TokenRequest, batchId: string): Promise<Held> {
    const promise = this.#fetch(request, batchId).finally(() => {
      if (this.#inFlight?.promise === promise) this.#inFlight = undefined;
    });
    this.#inFlight = { batchId, promise };
    return promise;
  }

  async #fetch(request: TokenRequest, batchId: string): Promise<Held> {
    const answer = await this.#ask({ ...request, files: request.files.slice(0, this.#batchLimit) });
    const credential = guardTokenResponse(answer, {
      provider: this.#options.provider,
      maxLifetimeSeconds: this.#options.maxLifetimeSeconds,
      // A server job's relative statusUrl belongs to the host that answered: the token endpoint.
      baseUrl: this.#options.endpoint
        ? new URL(this.#options.endpoint, this.#options.baseUrl).href
        : this.#options.baseUrl,
      now: this.#options.now,
    });
    const usesLeft = credential.kind === 'convertapi-token' ? (credential.uses ?? 1) : undefined;
    const held: Held = { credential, receivedAt: this.#now(), usesLeft, rejected: false };
    if (credential.kind === 'cloudconvert-job') this.#jobs.set(batchId, held);
    else this.#held = held;
    return held;
  }

  /**
   * Asks for a credential. When the endpoint refuses a request for several files (one of them
   * breaks its rules, or there are too many), it asks again for this file alone, or for as many as
   * the endpoint said it takes: the other files must not fail with it.
   */
  async #ask(request: TokenRequest): Promise<unknown> {
    try {
      return this.#options.tokenProvider
        ? await this.#callTokenProvider(request)
        : await this.#callEndpoint(request);
    } catch (error) {
      if (!(error instanceof RefusedBatch) || request.files.length <= 1)
        throw error instanceof RefusedBatch ? error.cause : error;
      if (error.limit !== undefined && error.limit >= 1) this.#batchLimit = error.limit;
      const files = request.files.slice(0, error.limit !== undefined && error.limit >= 1 ? error.limit : 1);
      return this.#ask({ ...request, files });
    }
  }

  async #callTokenProvider(request: TokenRequest): Promise<unknown> {
    try {
      return await this.#options.tokenProvider?.(request);
    } catch (error) {
      throw new ConvertError('token-endpoint-failed', 'The token provider failed.', { cause: error });
    }
  }

  /** The endpoint call is not tied to one file's signal: other files of the batch may be waiting on it. */
  async #callEndpoint(request: TokenRequest): Promise<unknown> {
    const endpoint = this.#options.endpoint;
    if (!endpoint) {
      throw new ConvertError('token-endpoint-failed', 'Set `token-endpoint` or `tokenProvider`.', {
        retryable: false,
      });
    }
    const url = secureUrl(endpoint, this.#options.baseUrl);
    if (!url) {
      throw new ConvertError('token-rejected', 'The token endpoint must be https (or http on loopback).', {
        retryable: false,
      });
    }
    let answer;
    try {
      answer = await httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(request),
        credentials: this.#options.credentials ?? 'same-origin',
        timeoutMs: this.#options.timeoutMs ?? 20_000,
      });
    } catch (error) {
      const failure = toConvertError(error);
      throw new ConvertError(
        'token-endpoint-failed',
        `The token endpoint could not be reached (${failure.code}).`,
        {
          cause: error,
        },
      );
    }
    if (answer.status < 200 || answer.status >= 300) {
      const failure = new ConvertError(
        'token-endpoint-failed',
        `The token endpoint answered ${answer.status}.`,
        {
          status: answer.status,
          retryable:
            answer.status >= 500 || answer.status === 429 || answer.status === 401 || answer.status === 403,
        },
      );
      if (answer.status === 400 || answer.status === 413 || answer.status === 422) {
        throw new RefusedBatch(failure, batchLimitOf(answer.text));
      }
      throw failure;
    }
    try {
      return parseJson(answer);
    } catch {
      throw new ConvertError('token-endpoint-failed', 'The token endpoint did not answer with JSON.', {
        status: answer.status,
      });
    }
  }
}

import { parseEndpointError } from '../contract/endpoint-error.js';
import type { FileDescription, ProviderName, TokenRequest } from '../contract/token-request.js';
import type { TokenResponse } from '../contract/token-response.js';
import { secureUrl } from '../contract/url-policy.js';
import { abortable } from './abortable.js';
import { type Credential, type CredentialParser, guardTokenResponse } from './credential-guard.js';
import { ConvertError, toConvertError } from './errors.js';
import { parseJson, request as httpRequest } from './transport.js';

/** Replaces the token endpoint: a page's own function that returns a token response. */
export type TokenProvider = (request: TokenRequest) => Promise<TokenResponse>;

export interface CredentialSourceOptions {
  provider: ProviderName;
  /** The provider's half of the guard, which makes its credential from the endpoint's answer. */
  parse: CredentialParser;
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

/** What a file asks the credential source for. */
export interface CredentialRequest {
  /** The body for the token endpoint: every file of the batch that will still need a credential, in order. */
  body: TokenRequest;
  /** One key per file of `body.files`, in the same order; kept here, never sent. */
  keys: readonly string[];
  /** The key of the file asking. */
  asker: string;
  /** The files' batch: a CloudConvert server job serves only the files it was made for. */
  batchId: string;
}

/** A credential handed out for one request; its value is read only where the request is made. */
export interface CredentialLease {
  readonly credential: Credential;
  /** Where the asking file stood among the files the credential was issued for (a server job's chain). */
  readonly position: number;
  /** Reports that the service refused it: it is dropped and never handed out again. */
  reject(): void;
}

interface Held {
  credential: Credential;
  receivedAt: number;
  usesLeft: number | undefined;
  rejected: boolean;
  /** Keys of the files it was issued for. */
  keys: readonly string[];
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

/** Endpoint calls one acquisition may make before it gives up on an endpoint that hands out spent credentials. */
const maxCallsPerAcquisition = 4;

/**
 * Gets short-lived credentials from the host's token endpoint, one call at a time, and shares
 * them across files while they have uses and time left. A CloudConvert server job serves only the
 * files it was made for. Credentials live only in private fields.
 */
export class CredentialSource {
  readonly #options: CredentialSourceOptions;
  #held: Held | undefined;
  readonly #jobs = new Map<string, Held[]>();
  #inFlight: { batchId: string; promise: Promise<Held> } | undefined;
  /** Most files the endpoint accepts in one request, once it has said so. */
  #batchLimit = Infinity;

  constructor(options: CredentialSourceOptions) {
    this.#options = options;
  }

  /** A credential for one request of the asking file, shared with the rest of its batch where it can be. */
  async acquire(request: CredentialRequest, signal?: AbortSignal): Promise<CredentialLease> {
    for (let calls = 0; calls < maxCallsPerAcquisition;) {
      if (signal?.aborted) throw toConvertError(signal.reason);
      const held = this.#jobFor(request) ?? this.#usable();
      if (held) return this.#lease(held, request);
      const inFlight = this.#inFlight;
      if (inFlight) {
        // Single flight: wait for the call under way, then see whether its credential serves this file too.
        const shared =
          inFlight.batchId === request.batchId ? inFlight.promise : inFlight.promise.catch(() => undefined);
        await abortable(shared, signal);
        continue;
      }
      calls += 1;
      const fresh = await abortable(this.#startCall(request), signal);
      if (this.#isUsable(fresh) && (!fresh.credential.batchScoped || fresh.keys.includes(request.asker))) {
        return this.#lease(fresh, request);
      }
    }
    throw new ConvertError('token-rejected', 'The token endpoint keeps answering with spent credentials.');
  }

  /** Forgets every held credential (for example when the element is removed from the page). */
  clear(): void {
    this.#held = undefined;
    this.#jobs.clear();
  }

  #jobFor(request: CredentialRequest): Held | undefined {
    return this.#jobs
      .get(request.batchId)
      ?.find((held) => !held.rejected && held.keys.includes(request.asker));
  }

  #lease(held: Held, request: CredentialRequest): CredentialLease {
    if (held.usesLeft !== undefined) held.usesLeft -= 1;
    return {
      credential: held.credential,
      position: held.keys.indexOf(request.asker),
      reject: () => {
        held.rejected = true;
        if (this.#held === held) this.#held = undefined;
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

  #startCall(request: CredentialRequest): Promise<Held> {
    const promise = this.#fetch(request).finally(() => {
      if (this.#inFlight?.promise === promise) this.#inFlight = undefined;
    });
    this.#inFlight = { batchId: request.batchId, promise };
    return promise;
  }

  async #fetch(request: CredentialRequest): Promise<Held> {
    const { answer, keys } = await this.#ask(request, this.#window(request, this.#batchLimit));
    const credential = guardTokenResponse(answer, {
      provider: this.#options.provider,
      parse: this.#options.parse,
      maxLifetimeSeconds: this.#options.maxLifetimeSeconds,
      // A server job's relative statusUrl belongs to the host that answered: the token endpoint.
      baseUrl: this.#options.endpoint
        ? new URL(this.#options.endpoint, this.#options.baseUrl).href
        : this.#options.baseUrl,
      now: this.#options.now,
    });
    const usesLeft = credential.uses;
    const held: Held = { credential, receivedAt: this.#now(), usesLeft, rejected: false, keys };
    if (credential.batchScoped) {
      this.#jobs.set(request.batchId, [...(this.#jobs.get(request.batchId) ?? []), held]);
    } else {
      this.#held = held;
    }
    return held;
  }

  /** At most `size` of the request's files, the asking file among them, in their order. */
  #window(request: CredentialRequest, size: number): { files: FileDescription[]; keys: string[] } {
    const at = Math.max(0, request.keys.indexOf(request.asker));
    const start = Math.max(0, Math.min(at, request.keys.length - size));
    const end = Math.min(request.keys.length, start + size);
    return { files: request.body.files.slice(start, end), keys: request.keys.slice(start, end) };
  }

  /**
   * Asks for a credential. When the endpoint refuses a request for several files (one of them
   * breaks its rules, or there are too many), it asks again for the asking file alone, or for as
   * many as the endpoint said it takes: the other files must not fail with it.
   */
  async #ask(
    request: CredentialRequest,
    part: { files: FileDescription[]; keys: string[] },
  ): Promise<{ answer: unknown; keys: string[] }> {
    const body = { ...request.body, files: part.files };
    try {
      const answer = this.#options.tokenProvider
        ? await this.#callTokenProvider(body)
        : await this.#callEndpoint(body);
      return { answer, keys: part.keys };
    } catch (error) {
      if (!(error instanceof RefusedBatch)) throw error;
      if (part.files.length <= 1) throw error.cause;
      const limit =
        error.limit !== undefined && error.limit >= 1 && error.limit < part.files.length ? error.limit : 1;
      if (limit > 1) this.#batchLimit = limit;
      return this.#ask(request, this.#window({ ...request, body: { ...body }, keys: part.keys }, limit));
    }
  }

  async #callTokenProvider(request: TokenRequest): Promise<unknown> {
    try {
      return await this.#options.tokenProvider?.(request);
    } catch (error) {
      // The page's own function threw: its own code, so that the page can tell it from an unreachable endpoint.
      throw new ConvertError('token-provider-failed', 'The tokenProvider function threw.', { cause: error });
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
      throw new ConvertError('token-rejected', 'The token endpoint must be https (or http on loopback).');
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
        const refusal = parseEndpointError(answer.text);
        throw new RefusedBatch(failure, refusal?.code === 'too-many-files' ? refusal.limit : undefined);
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

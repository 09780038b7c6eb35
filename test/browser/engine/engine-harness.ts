import { credentialParsers } from '../../../src/providers/registry.js';
// Test doubles for the engine's unit tests: a scripted provider adapter, a scripted token provider, an
// injectable clock, and an UploadQueue wired to them that records what it reports. No HTTP is mocked.
import { expect } from '@open-wc/testing';
import type { TokenRequest } from '../../../src/contract/token-request.js';
import type { ConvertApiTokenAnswer, TokenResponse } from '../../../src/contract/token-response.js';
import {
  CredentialSource,
  type CredentialSourceOptions,
  type TokenProvider,
} from '../../../src/engine/credential-source.js';
import type { ConvertError } from '../../../src/engine/errors.js';
import type { FileConversion, ConversionResult, ProviderAdapter } from '../../../src/engine/provider-port.js';
import type { UploadItem, UploadStatus } from '../../../src/engine/types.js';
import { UploadQueue, type QueueSettings } from '../../../src/engine/upload-queue.js';

declare global {
  var __pageErrors: string[] | undefined;
}

/** A promise the test settles itself. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves once `condition` holds, polling on the task queue; fails after `timeoutMs` (a bound, not a wait). */
export async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** After each test: no unhandled rejection or uncaught error reached the page. */
export function expectNoPageErrors(): void {
  beforeEach(() => {
    (globalThis.__pageErrors ?? []).length = 0;
  });
  afterEach(() => {
    const errors = [...(globalThis.__pageErrors ?? [])];
    (globalThis.__pageErrors ?? []).length = 0;
    expect(errors, 'uncaught errors or unhandled rejections').to.deep.equal([]);
  });
}

/** The test's clock: it moves only when the test moves it. */
export class Clock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
}

export const T0 = Date.parse('2026-11-22T10:00:00Z');

/** A ConvertAPI token answer with an opaque token (not a JWT, so `expiresAt` and `requestCount` rule). */
export function convertApiAnswer(token: string, expiresAtMs: number, requestCount?: number): TokenResponse {
  const answer: ConvertApiTokenAnswer = {
    provider: 'convertapi',
    token,
    expiresAt: new Date(expiresAtMs).toISOString(),
  };
  return requestCount === undefined ? answer : { ...answer, requestCount };
}

/**
 * The page's token provider: records every request and answers with `answer(request, call)` (call
 * counts from 1). While `gate` is set, every answer waits for it.
 */
export class TokenScript {
  readonly requests: TokenRequest[] = [];
  gate: Deferred<void> | undefined;

  constructor(private readonly answer: (request: TokenRequest, call: number) => TokenResponse) {}

  get calls(): number {
    return this.requests.length;
  }

  readonly provider: TokenProvider = async (request) => {
    this.requests.push(request);
    const call = this.requests.length;
    if (this.gate) await this.gate.promise;
    return this.answer(request, call);
  };
}

/** Opaque tokens `token-1`, `token-2`, … valid 10 minutes from the clock, each for `uses` requests. */
export function numberedTokens(clock: Clock, uses?: (request: TokenRequest) => number): TokenScript {
  return new TokenScript((request, call) =>
    convertApiAnswer(`token-${call}`, clock.ms + 600_000, uses ? uses(request) : request.files.length),
  );
}

export function credentialSource(
  tokens: TokenScript,
  clock: Clock,
  options: Partial<CredentialSourceOptions> = {},
): CredentialSource {
  const provider = options.provider ?? 'convertapi';
  return new CredentialSource({
    provider,
    parse: credentialParsers[provider],
    tokenProvider: tokens.provider,
    maxLifetimeSeconds: 3600,
    baseUrl: location.href,
    now: clock.now,
    ...options,
  });
}

/** The one result a test conversion yields. */
export function resultOf(job: FileConversion): ConversionResult[] {
  return [
    { name: `${job.file.name}.${job.to}`, url: `https://files.example/${job.file.name}`, format: job.to },
  ];
}

/** What the adapter runs for one call of `convert`; `attempt` counts the calls for that file name from 1. */
export type Script = (job: FileConversion, attempt: number) => Promise<ConversionResult[]>;

/** A provider whose conversions the test scripts; it remembers every job it was given, by file name. */
export class TestAdapter implements ProviderAdapter {
  readonly jobs = new Map<string, FileConversion[]>();

  constructor(private readonly script: Script) {}

  convert(job: FileConversion): Promise<ConversionResult[]> {
    const jobs = [...(this.jobs.get(job.file.name) ?? []), job];
    this.jobs.set(job.file.name, jobs);
    return this.script(job, jobs.length);
  }

  /** The latest job for `name`. */
  job(name: string): FileConversion {
    const job = this.jobs.get(name)?.at(-1);
    if (!job) throw new Error(`no job for ${name}`);
    return job;
  }
}

export type Summary = { succeeded: number; failed: number; canceled: number };

/** An UploadQueue wired to a test adapter and credential source, recording its callbacks. */
export class QueueHarness {
  readonly queue: UploadQueue;
  readonly summaries: Summary[] = [];
  readonly errors: { id: string; code: string }[] = [];
  readonly successes: string[] = [];
  readonly progress: { id: string; phase: 'upload' | 'convert'; progress: number | null }[] = [];
  /** Each item's statuses in the order the queue reported them through `onChange` (repeats dropped). */
  readonly history = new Map<string, UploadStatus[]>();
  /** How many times the queue has called `onChange`. */
  changes = 0;
  settings: QueueSettings = { provider: 'convertapi', to: 'pdf', concurrency: 3, parameters: {} };
  #completion = deferred<Summary>();

  constructor(adapter: ProviderAdapter, credentials: CredentialSource) {
    this.queue = new UploadQueue({
      callbacks: {
        onChange: () => {
          this.changes += 1;
          this.#record();
        },
        onProgress: (item, phase, progress) => this.progress.push({ id: item.id, phase, progress }),
        onSuccess: (item) => this.successes.push(item.id),
        onError: (item, error: ConvertError) => this.errors.push({ id: item.id, code: error.code }),
        onComplete: (summary) => {
          this.summaries.push(summary);
          this.#completion.resolve(summary);
          this.#completion = deferred<Summary>();
        },
      },
      credentials: () => credentials,
      adapter: () => adapter,
      settings: () => this.settings,
      messageFor: (error) => `visitor text for ${error.code}`,
    });
  }

  /** Adds files named `names` (each with a little content) and returns their ids, in order. */
  add(...names: string[]): string[] {
    return this.queue.add(names.map((name) => new File([`content of ${name}`], name))).map((item) => item.id);
  }

  /** The next `onComplete` from now on. */
  nextCompletion(): Promise<Summary> {
    return this.#completion.promise;
  }

  item(id: string): UploadItem {
    const item = this.queue.items.find((candidate) => candidate.id === id);
    if (!item) throw new Error(`no item ${id}`);
    return item;
  }

  status(id: string): UploadStatus {
    return this.item(id).status;
  }

  #record(): void {
    for (const item of this.queue.items) {
      const seen = this.history.get(item.id) ?? [];
      if (seen.at(-1) !== item.status) seen.push(item.status);
      this.history.set(item.id, seen);
    }
  }
}

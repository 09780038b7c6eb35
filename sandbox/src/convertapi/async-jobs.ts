import { randomId } from '../file-store.js';
import type { SandboxResponse } from '../types.js';

/** Async jobs are kept at most 2 hours (docs/convertapi.md §8). */
const JOB_TTL_MS = 2 * 60 * 60 * 1000;

interface Job {
  /** Set once the conversion finished (successfully or not). */
  response?: SandboxResponse;
  /** Not answered as done before this time (milliseconds), so pollers see 202 at least once. */
  readyAt: number;
  expiresAt: number;
}

/** Conversions started with `POST /async/convert/…` and polled with `GET /async/job/{JobId}`. */
export class AsyncJobs {
  readonly #jobs = new Map<string, Job>();

  /** @param minProcessingMs how long every job stays "in progress" at least. */
  constructor(private readonly minProcessingMs = 0) {}

  /** Whether a client-supplied JobId is acceptable: 32 lower-case letters and digits (docs/convertapi.md §4). */
  static isValidJobId(id: string): boolean {
    return /^[a-z0-9]{32}$/.test(id);
  }

  /**
   * Runs `work` in the background under `jobId` (generated when absent) and returns the id.
   * `work` must resolve to the final answer, errors included; its body must be replayable (no stream).
   * `onReady` is called once a poll would see the job done (the moment ConvertAPI calls a WebHook).
   */
  start(
    work: () => Promise<SandboxResponse>,
    jobId: string = randomId(32),
    onReady?: (jobId: string) => void,
  ): string {
    const now = Date.now();
    for (const id of this.#jobs.keys()) this.#live(id);
    const job: Job = { readyAt: now + this.minProcessingMs, expiresAt: now + JOB_TTL_MS };
    this.#jobs.set(jobId, job);
    void work()
      .then(
        (response) => (job.response = response),
        () => (job.response = { status: 500, body: { Code: 5001, Message: 'Conversion failed.' } }),
      )
      .then(() => {
        if (onReady)
          setTimeout(
            () => {
              onReady(jobId);
            },
            Math.max(0, job.readyAt - Date.now()),
          ).unref();
      });
    return jobId;
  }

  /** 202 while running, the conversion's own answer when done, `undefined` for an unknown or expired id. */
  poll(jobId: string): SandboxResponse | undefined {
    const job = this.#live(jobId);
    if (!job) return undefined;
    if (!job.response || Date.now() < job.readyAt) return { status: 202 };
    return job.response;
  }

  delete(jobId: string): boolean {
    return this.#live(jobId) !== undefined && this.#jobs.delete(jobId);
  }

  #live(jobId: string): Job | undefined {
    const job = this.#jobs.get(jobId);
    if (job && job.expiresAt <= Date.now()) {
      this.#jobs.delete(jobId);
      return undefined;
    }
    return job;
  }
}

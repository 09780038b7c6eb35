import { type ConvertError, toConvertError } from '../engine/errors.js';
import { sleep } from '../engine/retry.js';
import type { JobSnapshot } from './cloudconvert-parse.js';

/** Polls start this far apart and slow down while nothing changes, up to `maxPollMs`. */
const firstPollMs = 500;
const maxPollMs = 5000;

interface Watcher {
  /** Called with every snapshot; returns true once the watcher is done. */
  see(job: JobSnapshot): boolean;
  fail(error: ConvertError): void;
}

/** A change in any task's status or percent resets the backoff. */
function fingerprint(job: JobSnapshot): string {
  return job.tasks.map((task) => `${task.status}${task.percent}`).join();
}

/**
 * Follows one job for every file of its batch: a single polling loop, whatever the number of files
 * waiting on it, that runs while at least one file watches and stops when the last one leaves.
 */
export class JobFollower {
  readonly #read: (signal: AbortSignal) => Promise<JobSnapshot>;
  readonly #watchers = new Set<Watcher>();
  #loop: AbortController | undefined;

  /** `read` fetches one snapshot; it retries transient failures itself. */
  constructor(read: (signal: AbortSignal) => Promise<JobSnapshot>) {
    this.#read = read;
  }

  /**
   * Resolves with what `settle` returns for the first snapshot it accepts (not undefined); rejects
   * with what it throws, with a failure to read the job, or when `signal` aborts.
   */
  follow<T>(signal: AbortSignal, settle: (job: JobSnapshot) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        this.#watchers.delete(watcher);
        signal.removeEventListener('abort', onAbort);
        if (this.#watchers.size === 0) {
          this.#loop?.abort();
          this.#loop = undefined;
        }
      };
      const watcher: Watcher = {
        see: (job) => {
          try {
            const outcome = settle(job);
            if (outcome === undefined) return false;
            resolve(outcome);
          } catch (error) {
            reject(toConvertError(error, 'invalid-response'));
          }
          leave();
          return true;
        },
        fail: (error) => {
          reject(error);
          leave();
        },
      };
      const onAbort = () => {
        watcher.fail(toConvertError(signal.reason));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.#watchers.add(watcher);
      if (!this.#loop) void this.#run((this.#loop = new AbortController()).signal);
    });
  }

  async #run(stop: AbortSignal): Promise<void> {
    let unchanged = 0;
    let last = '';
    while (!stop.aborted) {
      try {
        const job = await this.#read(stop);
        for (const watcher of [...this.#watchers]) watcher.see(job);
        const current = fingerprint(job);
        unchanged = current === last ? unchanged + 1 : 0;
        last = current;
      } catch (thrown) {
        const error = toConvertError(thrown);
        // A read cut short (the last file left, or the file whose credential it used) is no failure of the job.
        if (error.code !== 'canceled') {
          for (const watcher of [...this.#watchers]) watcher.fail(error);
        }
      }
      await sleep(Math.min(maxPollMs, firstPollMs * 1.5 ** unchanged), stop).catch(() => undefined);
    }
  }
}

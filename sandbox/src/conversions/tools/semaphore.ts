/** Raised for work still queued when its semaphore closes. */
export class SemaphoreClosedError extends Error {
  override name = 'SemaphoreClosedError';
}

/** Lets at most `limit` tasks run at once; the others wait in order. */
export class Semaphore {
  #running = 0;
  #closed = false;
  readonly #waiting: Array<{ start: () => void; cancel: (error: Error) => void }> = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.start();
    }
  }

  /** Refuses new work and rejects what is still waiting; running tasks finish on their own. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.cancel(new SemaphoreClosedError('closed'));
  }

  #acquire(): Promise<void> {
    if (this.#closed) return Promise.reject(new SemaphoreClosedError('closed'));
    if (this.#running < this.limit) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        start: () => {
          this.#running++;
          resolve();
        },
        cancel: reject,
      });
    });
  }
}

import type { RequestLogEntry } from './types.js';

/** What the core knows about a finished request; the log adds `seq` and `time`. */
export type RequestLogInput = Omit<RequestLogEntry, 'seq' | 'time'>;

/**
 * The sandbox's request log: method, path, status and how the caller authenticated.
 * It never stores header values, query strings or bodies, so no credential can end up in it.
 */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  readonly #capacity: number;
  #nextSeq = 1;

  /** @param capacity how many entries are kept; the oldest are dropped first. */
  constructor(capacity = 5000) {
    this.#capacity = capacity;
  }

  /** Appends an entry and returns it with its sequence number. */
  record(input: RequestLogInput): RequestLogEntry {
    const entry: RequestLogEntry = { seq: this.#nextSeq++, time: new Date().toISOString(), ...input };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
    return entry;
  }

  /** Entries in arrival order; with `since`, only those with a greater sequence number. */
  list(since = 0): RequestLogEntry[] {
    return this.#entries.filter((entry) => entry.seq > since).map((entry) => structuredClone(entry));
  }

  /** Forgets every entry (sequence numbers keep growing, so `since` filters stay valid). */
  clear(): void {
    this.#entries.length = 0;
  }
}

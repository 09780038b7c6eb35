/**
 * Keeps only the latest value per key and hands them over at most once per animation frame;
 * `flush(key)` delivers a pending value at once (before a final event that must follow it).
 */
export class FrameThrottle<T> {
  readonly #pending = new Map<string, T>();
  readonly #deliver: (value: T) => void;
  #frame: number | undefined;

  constructor(deliver: (value: T) => void) {
    this.#deliver = deliver;
  }

  push(key: string, value: T): void {
    this.#pending.set(key, value);
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = undefined;
      const values = [...this.#pending.values()];
      this.#pending.clear();
      for (const pending of values) this.#deliver(pending);
    });
  }

  flush(key: string): void {
    const value = this.#pending.get(key);
    if (value === undefined) return;
    this.#pending.delete(key);
    this.#deliver(value);
  }

  cancel(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    this.#pending.clear();
  }
}

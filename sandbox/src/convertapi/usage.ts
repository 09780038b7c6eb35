/** A use held back while a conversion runs: committed when it succeeds, released when it fails. */
export interface Reservation {
  commit(): void;
  release(): void;
}

/**
 * Counts uses against a limit. A use is first reserved, so concurrent conversions cannot
 * overdraw it, and only counts once committed (only successful conversions consume).
 */
export class UsageCounter {
  #used = 0;
  #reserved = 0;

  constructor(public limit: number) {}

  get used(): number {
    return this.#used;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.#used - this.#reserved);
  }

  /** Reserves `amount` uses, or returns `undefined` when fewer are left. */
  tryReserve(amount = 1): Reservation | undefined {
    if (this.remaining < amount) return undefined;
    this.#reserved += amount;
    let settled = false;
    const settle = (commit: boolean): void => {
      if (settled) return;
      settled = true;
      this.#reserved -= amount;
      if (commit) this.#used += amount;
    };
    return {
      commit: () => {
        settle(true);
      },
      release: () => {
        settle(false);
      },
    };
  }

  /** Sets how many uses are left from now on (the limit moves, the history stays). */
  setRemaining(remaining: number): void {
    this.limit = this.#used + this.#reserved + remaining;
  }
}

/** Several reservations settled together. */
export function combineReservations(...reservations: Reservation[]): Reservation {
  return {
    commit: () => {
      reservations.forEach((reservation) => {
        reservation.commit();
      });
    },
    release: () => {
      reservations.forEach((reservation) => {
        reservation.release();
      });
    },
  };
}

/** A count that can be waited on: `reached(n)` resolves once it has come to `n`. */
export class Tally {
  count = 0;
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];

  add(): void {
    this.count += 1;
    for (const waiter of this.#waiters.filter((w) => w.count <= this.count)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  reached(count: number): Promise<void> {
    if (this.count >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Counts from 0 again; waits still pending go on waiting. */
  reset(): void {
    this.count = 0;
  }
}

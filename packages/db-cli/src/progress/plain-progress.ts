import { CollectionProgress, formatCount, formatDuration, type ProgressReporter } from './reporter';

/** Plain lines for logs and pipes: one now and then per collection, and one when it ends. */
export class PlainProgress implements ProgressReporter {
  readonly #out: NodeJS.WritableStream;
  readonly #intervalMs: number;
  readonly #rows = new Map<string, CollectionProgress & { printedAt: number }>();

  constructor(out: NodeJS.WritableStream, intervalMs = 5000) {
    this.#out = out;
    this.#intervalMs = intervalMs;
  }

  begin(collection: string, total?: number): void {
    const now = Date.now();
    this.#rows.set(
      collection,
      Object.assign(new CollectionProgress(collection, total, now), { printedAt: now }),
    );
    const expected = total === undefined ? '' : ` (${formatCount(total)} documents)`;
    this.#out.write(`${collection}: started${expected}\n`);
  }

  update(collection: string, done: number): void {
    const row = this.#rows.get(collection);
    if (!row) return;
    row.done = done;
    const now = Date.now();
    if (now - row.printedAt < this.#intervalMs) return;
    row.printedAt = now;
    const of = row.total === undefined ? '' : `/${formatCount(row.total)}`;
    const eta = row.eta(now);
    const etaText = eta === undefined ? '' : `, ETA ${formatDuration(eta)}`;
    this.#out.write(
      `${collection}: ${formatCount(done)}${of} documents, ${formatCount(row.rate(now))}/s${etaText}\n`,
    );
  }

  end(collection: string): void {
    const row = this.#rows.get(collection);
    if (!row) return;
    row.endedAt = Date.now();
    const took = formatDuration((row.endedAt - row.startedAt) / 1000);
    this.#out.write(`${collection}: ${formatCount(row.done)} documents in ${took}\n`);
  }

  note(message: string): void {
    this.#out.write(`${message}\n`);
  }

  close(): void {}
}

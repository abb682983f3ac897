import { CollectionProgress, formatCount, formatDuration, type ProgressReporter } from './reporter';

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/** A progress bar per collection, redrawn in place on a terminal. */
export class TtyProgress implements ProgressReporter {
  readonly #out: NodeJS.WriteStream;
  readonly #rows: CollectionProgress[] = [];
  #drawnRows = 0;
  #lastDraw = 0;

  constructor(out: NodeJS.WriteStream) {
    this.#out = out;
  }

  begin(collection: string, total?: number): void {
    this.#rows.push(new CollectionProgress(collection, total, Date.now()));
    this.#draw(true);
  }

  update(collection: string, done: number): void {
    const row = this.#find(collection);
    if (row) row.done = done;
    this.#draw(false);
  }

  end(collection: string): void {
    const row = this.#find(collection);
    if (row) row.endedAt = Date.now();
    this.#draw(true);
  }

  note(message: string): void {
    this.#erase();
    this.#out.write(`${message}\n`);
    this.#draw(true);
  }

  close(): void {
    this.#draw(true);
    this.#drawnRows = 0;
  }

  #find(collection: string): CollectionProgress | undefined {
    for (let i = this.#rows.length - 1; i >= 0; i--) {
      if (this.#rows[i]?.collection === collection) return this.#rows[i];
    }
    return undefined;
  }

  #erase(): void {
    if (this.#drawnRows > 0) this.#out.write(`\x1b[${this.#drawnRows}A\x1b[0J`);
    this.#drawnRows = 0;
  }

  #draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    const width = Math.max(...this.#rows.map((row) => row.collection.length), 8);
    const text = this.#rows.map((row) => `\x1b[2K${renderRow(row, width, now)}\n`).join('');
    this.#erase();
    this.#out.write(text);
    this.#drawnRows = this.#rows.length;
  }
}

function renderRow(row: CollectionProgress, width: number, now: number): string {
  const name = row.collection.padEnd(width);
  const rate = `${formatCount(row.rate(now))}/s`;
  if (row.total === undefined) return `${name} ${formatCount(row.done)} documents  ${rate}`;
  const fraction = row.total > 0 ? Math.min(1, row.done / row.total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const eta = row.eta(now);
  const tail =
    row.endedAt !== undefined
      ? `done in ${formatDuration((row.endedAt - row.startedAt) / 1000)}`
      : `ETA ${eta === undefined ? '?' : formatDuration(eta)}`;
  return `${name} ${bar} ${formatCount(row.done)}/${formatCount(row.total)}  ${rate}  ${tail}`;
}

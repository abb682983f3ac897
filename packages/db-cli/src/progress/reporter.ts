/**
 * Receives the progress of a run, collection by collection. Commands call it; the CLI
 * picks a terminal bar, plain periodic lines, or nothing.
 */
export interface ProgressReporter {
  /** A collection starts; `total` is the number of documents expected, when known. */
  begin(collection: string, total?: number): void;
  /** `done` documents of the collection have been handled so far (a running total). */
  update(collection: string, done: number): void;
  /** The collection is finished. */
  end(collection: string): void;
  /** A message for the person running the command (written on stderr). */
  note(message: string): void;
  /** Draws the final state and releases the output. */
  close(): void;
}

/** Reports nothing: the default for library calls, and for `--quiet` and `--json`. */
export const silentProgress: ProgressReporter = {
  begin() {},
  update() {},
  end() {},
  note() {},
  close() {},
};

/** The state of one collection, shared by the reporters that print. */
export class CollectionProgress {
  readonly collection: string;
  readonly total: number | undefined;
  readonly startedAt: number;
  done = 0;
  endedAt: number | undefined;

  constructor(collection: string, total: number | undefined, now: number) {
    this.collection = collection;
    this.total = total;
    this.startedAt = now;
  }

  /** Documents per second since the collection began. */
  rate(now: number): number {
    const seconds = ((this.endedAt ?? now) - this.startedAt) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  /** Seconds left at the current rate; undefined when the total or the rate is unknown. */
  eta(now: number): number | undefined {
    const rate = this.rate(now);
    if (this.total === undefined || rate <= 0) return undefined;
    return Math.max(0, (this.total - this.done) / rate);
  }
}

/** `1,234`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `45s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

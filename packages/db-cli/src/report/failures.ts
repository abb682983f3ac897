import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { withReport } from '../errors';

/** One document that could not be written, as a line of the report file. */
export interface DocumentFailure {
  collection: string;
  id: string;
  /** The line of the export file the document came from (import only). */
  line?: number;
  status: number;
  code: string;
  message: string;
}

/** The default report name: `gofannon-db-failures-2025-01-31T12-00-00Z.ndjson` in the working directory. */
export function defaultReportPath(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return resolve(`gofannon-db-failures-${stamp}.ndjson`);
}

/**
 * Collects per-document failures as NDJSON, one object per line. The file is created with
 * the first failure only, so a clean run leaves no file behind.
 */
export class FailureReport {
  readonly path: string;
  #count = 0;
  #file: Promise<FileHandle> | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(path: string = defaultReportPath()) {
    this.path = resolve(path);
  }

  /** How many failures have been recorded. */
  get count(): number {
    return this.#count;
  }

  /** Where the report was written; undefined while there is no failure. */
  get writtenTo(): string | undefined {
    return this.#count > 0 ? this.path : undefined;
  }

  /** Appends failures; resolves once they are on disk. */
  add(failures: readonly DocumentFailure[]): Promise<void> {
    if (failures.length === 0) return this.#queue;
    this.#count += failures.length;
    const text = failures.map((failure) => `${JSON.stringify(failure)}\n`).join('');
    this.#file ??= open(this.path, 'w');
    const file = this.#file;
    this.#queue = this.#queue.then(async () => {
      await (await file).appendFile(text);
    });
    return this.#queue;
  }

  /** Flushes and closes the file (if one was opened). */
  async close(): Promise<void> {
    await this.#queue;
    const file = this.#file;
    this.#file = undefined;
    if (file) await (await file).close();
  }
}

/**
 * Runs a command with a failure report: the report is closed afterwards, and an error
 * that ends the run names the report file when failures were written to it.
 */
export async function withFailureReport<T>(
  path: string | undefined,
  run: (failures: FailureReport) => Promise<T>,
): Promise<T> {
  const failures = new FailureReport(path);
  try {
    return await run(failures);
  } catch (error) {
    throw withReport(error, failures);
  } finally {
    await failures.close();
  }
}

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { JsonObject } from '@gofannon/db-core';
import { LinesHash } from './lines-hash';
import {
  type DocumentRecord,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportHeader,
  type ExportTrailer,
  isGzipPath,
} from './records';

/**
 * Writes an export file: the header line, one line per document, and the trailer line
 * (the count and the SHA-256 of the document lines).
 * Gzip when the name ends in `.gz`. The file is written under a temporary name and renamed
 * into place by {@link ExportWriter.finish}, so a failed or interrupted export never leaves
 * a file that looks complete.
 */
export class ExportWriter {
  readonly path: string;
  readonly #temporary: string;
  readonly #input: Writable;
  readonly #done: Promise<void>;
  readonly #opened: Promise<unknown>;
  #documents = 0;
  readonly #hash = new LinesHash();
  #failure: unknown;

  private constructor(path: string) {
    this.path = path;
    this.#temporary = `${path}.${process.pid}.partial`;
    const file = createWriteStream(this.#temporary, { flags: 'wx' });
    this.#opened = once(file, 'open');
    if (isGzipPath(path)) {
      const gzip = createGzip();
      this.#input = gzip;
      this.#done = pipeline(gzip, file);
    } else {
      this.#input = file;
      this.#done = once(file, 'close').then(() => undefined);
    }
    // Keep the first error for the next write; never leave a rejection unhandled.
    this.#done.catch((error: unknown) => {
      this.#failure ??= error;
    });
    this.#input.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  /** Creates the temporary file and writes the header line. */
  static async open(
    path: string,
    provider: string,
    exportedAt = new Date(),
  ): Promise<ExportWriter> {
    const writer = new ExportWriter(path);
    try {
      await writer.#opened;
    } catch (error) {
      await writer.abort();
      throw error;
    }
    const header: ExportHeader = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      provider,
      exportedAt: exportedAt.toISOString(),
    };
    await writer.#writeLine(JSON.stringify(header));
    return writer;
  }

  /** The number of document lines written so far. */
  get documents(): number {
    return this.#documents;
  }

  /** Appends one document line; waits when the disk is slower than the reader. */
  async write(collection: string, id: string, data: JsonObject): Promise<void> {
    const record: DocumentRecord = { collection, id, data };
    const line = JSON.stringify(record);
    this.#hash.add(line);
    await this.#writeLine(line);
    this.#documents += 1;
  }

  /** Writes the trailer, flushes, and renames the file into place. */
  async finish(): Promise<void> {
    const trailer: ExportTrailer = {
      end: { documents: this.#documents, sha256: this.#hash.hex() },
    };
    await this.#writeLine(JSON.stringify(trailer));
    this.#input.end();
    await this.#done;
    this.#throwIfFailed();
    await rename(this.#temporary, this.path);
  }

  /** Stops writing and deletes the temporary file. */
  async abort(): Promise<void> {
    this.#input.destroy();
    await this.#done.catch(() => {});
    await rm(this.#temporary, { force: true });
  }

  async #writeLine(line: string): Promise<void> {
    this.#throwIfFailed();
    if (!this.#input.write(`${line}\n`)) {
      await Promise.race([once(this.#input, 'drain'), this.#done]);
      this.#throwIfFailed();
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

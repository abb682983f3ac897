import type { JsonObject } from '@gofannon/db-core';

/** The `format` value of the first line of every export file. */
export const EXPORT_FORMAT = 'gofannon-db-export';
/**
 * The version of the file layout this package writes. Version 2 added the end line's
 * `sha256`; files of version 1 (no hash) are still read.
 */
export const EXPORT_VERSION = 2;
/** The versions this package reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];

/**
 * The longest line a file may hold, in bytes: the largest document a built-in adapter
 * stores (8 MiB as JSON, PostgreSQL and memory; CouchDB 8,000,000) plus 64 KiB for the rest
 * of a document line (the collection name, an id of up to 512 bytes even with every byte
 * written as a 6-byte `\u` escape, and the field names). A longer line could not be
 * imported anyway; the bound keeps a corrupt or hostile file from costing unbounded
 * memory.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024 + 64 * 1024;

/** Line 1 of an export file. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** The provider the documents were read from, such as `couchdb`. */
  provider: string;
  /** When the export started, ISO-8601. */
  exportedAt: string;
}

/** One document line: the collection, the id, and the content without `_id` and `_rev`. */
export interface DocumentRecord {
  collection: string;
  id: string;
  data: JsonObject;
}

/**
 * The last line: how many document lines the file holds, so that a file cut short at a
 * line boundary is noticed too, and (since version 2) the SHA-256 of those lines (see
 * `LinesHash`), so that a file changed after export is noticed.
 */
export interface ExportTrailer {
  end: { documents: number; sha256: string };
}

/**
 * A problem with an export file. `lineNumber` is 1-based, the line the problem is on;
 * 0 when the file as a whole cannot be read.
 */
export class ExportFileError extends Error {
  readonly file: string;
  readonly lineNumber: number;

  constructor(file: string, lineNumber: number, problem: string, options?: { cause?: unknown }) {
    super(
      lineNumber > 0 ? `${file} line ${lineNumber}: ${problem}` : `${file}: ${problem}`,
      options,
    );
    this.name = 'ExportFileError';
    this.file = file;
    this.lineNumber = lineNumber;
  }
}

/** True when the file name asks for gzip compression. */
export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

import type { JsonObject } from '@gofannon/db-core';

/** The `format` value of the first line of every export file. */
export const EXPORT_FORMAT = 'gofannon-db-export';
/** The version of the file layout this package writes and reads. */
export const EXPORT_VERSION = 1;

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
 * line boundary is noticed too.
 */
export interface ExportTrailer {
  end: { documents: number };
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

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import {
  assertCollectionName,
  assertDocumentId,
  isDatabaseError,
  type JsonObject,
} from '@gofannon/db-core';
import {
  type DocumentRecord,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportFileError,
  type ExportHeader,
  isGzipPath,
} from './records';

/** One document line of an export file, with its 1-based line number. */
export interface ReadRecord {
  lineNumber: number;
  record: DocumentRecord;
}

/** Options of {@link readExportFile}. */
export interface ReadOptions {
  /** Called with the header once line 1 has been checked. */
  onHeader?: (header: ExportHeader) => void;
}

/**
 * Streams the document lines of an export file (gunzipped when the name ends in `.gz`).
 * Throws {@link ExportFileError} naming the line for: a missing or unknown header, a line
 * that is not JSON or not a `{collection, id, data}` object, a missing or wrong trailer,
 * anything after the trailer, and a gzip stream that is cut short or corrupt. Documents
 * before a bad line have already been yielded: callers that must not act on a bad file
 * read it once to the end before acting (see `scanExportFile`).
 */
export async function* readExportFile(
  path: string,
  options: ReadOptions = {},
): AsyncGenerator<ReadRecord> {
  let lineNumber = 0;
  let documents = 0;
  let trailerSeen = false;
  for await (const line of readLines(path, () => lineNumber)) {
    lineNumber += 1;
    const parsed = parseLine(path, lineNumber, line);
    if (lineNumber === 1) {
      options.onHeader?.(checkHeader(path, parsed));
      continue;
    }
    if (trailerSeen)
      throw new ExportFileError(path, lineNumber, 'unexpected line after the end line');
    if (isTrailer(parsed)) {
      const expected = (parsed.end as { documents?: unknown }).documents;
      if (expected !== documents) {
        throw new ExportFileError(
          path,
          lineNumber,
          `the end line counts ${String(expected)} documents but the file holds ${documents}`,
        );
      }
      trailerSeen = true;
      continue;
    }
    const record = checkRecord(path, lineNumber, parsed);
    documents += 1;
    yield { lineNumber, record };
  }
  if (lineNumber === 0) throw new ExportFileError(path, 1, 'the file is empty (no header line)');
  if (!trailerSeen) {
    throw new ExportFileError(
      path,
      lineNumber + 1,
      'the file ends without its end line: it is truncated (or was not written by gofannon-db export)',
    );
  }
}

/** Splits the (decompressed) file into lines; a missing final newline is tolerated. */
async function* readLines(path: string, linesSoFar: () => number): AsyncGenerator<string> {
  const file = createReadStream(path);
  const input: Readable = isGzipPath(path) ? file.pipe(createGunzip()) : file;
  if (input !== file) file.on('error', (error) => input.destroy(error));
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of input) {
      pending += decoder.write(chunk as Buffer);
      let start = 0;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        yield pending.slice(start, newline).replace(/\r$/, '');
        start = newline + 1;
        newline = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
    }
  } catch (error) {
    throw readError(path, linesSoFar() + 1, error);
  } finally {
    file.destroy();
    input.destroy();
  }
  pending += decoder.end();
  if (pending !== '') yield pending;
}

function readError(path: string, lineNumber: number, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ExportFileError(path, 0, 'no such file', { cause: error });
  if (code === 'Z_BUF_ERROR') {
    return new ExportFileError(
      path,
      lineNumber,
      'the gzip data ends early: the file is truncated',
      {
        cause: error,
      },
    );
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_NEED_DICT') {
    return new ExportFileError(
      path,
      lineNumber,
      `not valid gzip data (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function parseLine(path: string, lineNumber: number, line: string): Record<string, unknown> {
  if (line.trim() === '') throw new ExportFileError(path, lineNumber, 'empty line');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new ExportFileError(path, lineNumber, `not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (!isPlainObject(value)) throw new ExportFileError(path, lineNumber, 'not a JSON object');
  return value;
}

function checkHeader(path: string, value: Record<string, unknown>): ExportHeader {
  if (value.format !== EXPORT_FORMAT) {
    throw new ExportFileError(
      path,
      1,
      `not a gofannon-db export: the first line must be a header with "format": "${EXPORT_FORMAT}"`,
    );
  }
  if (value.version !== EXPORT_VERSION) {
    throw new ExportFileError(
      path,
      1,
      `unsupported format version ${JSON.stringify(value.version)} (this gofannon-db reads version ${EXPORT_VERSION})`,
    );
  }
  if (typeof value.provider !== 'string' || typeof value.exportedAt !== 'string') {
    throw new ExportFileError(path, 1, 'the header needs "provider" and "exportedAt" strings');
  }
  return value as unknown as ExportHeader;
}

function isTrailer(value: Record<string, unknown>): boolean {
  return Object.keys(value).length === 1 && isPlainObject(value.end);
}

function checkRecord(
  path: string,
  lineNumber: number,
  value: Record<string, unknown>,
): DocumentRecord {
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'collection,data,id') {
    throw new ExportFileError(
      path,
      lineNumber,
      `a document line has exactly "collection", "id" and "data"; found ${keys ? `"${keys.split(',').join('", "')}"` : 'no fields'}`,
    );
  }
  const { collection, id, data } = value;
  try {
    assertCollectionName(collection as string);
    assertDocumentId(id as string);
  } catch (error) {
    if (!isDatabaseError(error)) throw error;
    throw new ExportFileError(path, lineNumber, error.message, { cause: error });
  }
  if (!isPlainObject(data)) {
    throw new ExportFileError(path, lineNumber, '"data" must be a JSON object');
  }
  return { collection: collection as string, id: id as string, data: data as JsonObject };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  assertCollectionName,
  assertDocumentId,
  isDatabaseError,
  type JsonObject,
} from '@gofannon/db-core';
import { checkEndLine, checkHeader, isEndLine } from './frame-lines';
import { LineSplitter } from './line-splitter';
import { LinesHash } from './lines-hash';
import {
  type DocumentRecord,
  ExportFileError,
  type ExportHeader,
  isGzipPath,
  MAX_LINE_BYTES,
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
 * longer than `MAX_LINE_BYTES`, bytes that are not UTF-8, a line that is not JSON or not a
 * `{collection, id, data}` object, a missing or wrong trailer (count, types, or the
 * SHA-256 of the document lines), anything after the trailer, and a gzip stream that is
 * cut short or corrupt. Documents
 * before a bad line have already been yielded: callers that must not act on a bad file
 * read it once to the end before acting (see `scanExportFile`).
 */
export async function* readExportFile(
  path: string,
  options: ReadOptions = {},
): AsyncGenerator<ReadRecord> {
  let lineNumber = 0;
  let version = 0;
  let documents = 0;
  let trailerSeen = false;
  const hash = new LinesHash();
  for await (const bytes of readLines(path)) {
    lineNumber += 1;
    const parsed = parseLine(path, lineNumber, decodeLine(path, lineNumber, bytes));
    if (lineNumber === 1) {
      const header = checkHeader(path, parsed);
      version = header.version;
      options.onHeader?.(header);
      continue;
    }
    if (trailerSeen)
      throw new ExportFileError(path, lineNumber, 'unexpected line after the end line');
    if (isEndLine(parsed)) {
      const end = parsed.end as Record<string, unknown>;
      checkEndLine(path, lineNumber, version, end, { documents, sha256: hash.hex() });
      trailerSeen = true;
      continue;
    }
    const record = checkRecord(path, lineNumber, parsed);
    hash.add(bytes);
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

/**
 * Splits the (decompressed) file into lines of bytes, without their LF, and without a CR
 * before it. A missing final newline is tolerated.
 */
async function* readLines(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path);
  const input: Readable = isGzipPath(path) ? file.pipe(createGunzip()) : file;
  if (input !== file) file.on('error', (error) => input.destroy(error));
  const splitter = new LineSplitter(
    MAX_LINE_BYTES,
    (lineNumber) =>
      new ExportFileError(
        path,
        lineNumber,
        `the line is longer than ${MAX_LINE_BYTES} bytes, the longest a document line can be (the largest document an adapter stores, plus its collection and id)`,
      ),
  );
  try {
    for await (const chunk of input) {
      for (const line of splitter.push(chunk as Buffer)) yield withoutCr(line);
    }
  } catch (error) {
    throw readError(path, splitter.lineNumber, error);
  } finally {
    file.destroy();
    input.destroy();
  }
  const last = splitter.end();
  if (last) yield withoutCr(last);
}

function withoutCr(line: Buffer): Buffer {
  return line.at(-1) === 0x0d ? line.subarray(0, -1) : line;
}

// Each line is whole (LF never occurs inside a UTF-8 character), so one decoder is reused
// line by line. `fatal` refuses invalid bytes instead of turning them into U+FFFD;
// `ignoreBOM` keeps a byte order mark, so that it is refused as JSON, as before.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeLine(path: string, lineNumber: number, bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new ExportFileError(
      path,
      lineNumber,
      'not valid UTF-8 (export files are UTF-8; was the file converted or changed after export?)',
      { cause: error },
    );
  }
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

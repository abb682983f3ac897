import { EXPORT_FORMAT, ExportFileError, type ExportHeader, READABLE_VERSIONS } from './records';

/** Checks line 1 of a file: the format name, a version this package reads, the provider. */
export function checkHeader(path: string, value: Record<string, unknown>): ExportHeader {
  if (value.format !== EXPORT_FORMAT) {
    throw new ExportFileError(
      path,
      1,
      `not a gofannon-db export: the first line must be a header with "format": "${EXPORT_FORMAT}"`,
    );
  }
  if (!READABLE_VERSIONS.includes(value.version as number)) {
    throw new ExportFileError(
      path,
      1,
      `unsupported format version ${JSON.stringify(value.version)} (this gofannon-db reads versions ${READABLE_VERSIONS.join(' and ')})`,
    );
  }
  if (typeof value.provider !== 'string' || typeof value.exportedAt !== 'string') {
    throw new ExportFileError(path, 1, 'the header needs "provider" and "exportedAt" strings');
  }
  return value as unknown as ExportHeader;
}

/** Whether a parsed line is the end line: `{"end": {...}}` and nothing else. */
export function isEndLine(value: Record<string, unknown>): boolean {
  if (Object.keys(value).length !== 1) return false;
  const end = value.end;
  return typeof end === 'object' && end !== null && !Array.isArray(end);
}

/** What the reader found in the document lines before the end line. */
export interface LinesFound {
  documents: number;
  /** The `LinesHash` of those lines. */
  sha256: string;
}

/**
 * Checks the end line against what was read: each field's type first (so that a count of
 * `"1"` is named as a string, not reported as a mismatch with 1), then the count, then the
 * hash (version 2 and later).
 */
export function checkEndLine(
  path: string,
  lineNumber: number,
  version: number,
  end: Record<string, unknown>,
  found: LinesFound,
): void {
  const fail = (problem: string) => new ExportFileError(path, lineNumber, problem);
  const fields = version >= 2 ? ['documents', 'sha256'] : ['documents'];
  for (const key of Object.keys(end)) {
    if (!fields.includes(key)) {
      throw fail(
        `the end line has an unknown field ${JSON.stringify(key)} (format version ${version} has ${fields.map((f) => `"${f}"`).join(' and ')})`,
      );
    }
  }
  const { documents, sha256 } = end;
  if (typeof documents !== 'number' || !Number.isSafeInteger(documents) || documents < 0) {
    throw fail(`the end line's "documents" must be a whole number, found ${shown(documents)}`);
  }
  if (version >= 2 && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))) {
    throw fail(`the end line's "sha256" must be 64 lowercase hex digits, found ${shown(sha256)}`);
  }
  if (documents !== found.documents) {
    throw fail(`the end line counts ${documents} documents but the file holds ${found.documents}`);
  }
  if (version >= 2 && sha256 !== found.sha256) {
    throw fail(
      `the SHA-256 of the document lines (${found.sha256}) differs from the end line's (${String(sha256)}): the file was changed after export`,
    );
  }
}

function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

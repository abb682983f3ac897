import { MAX_ID_BYTES } from '../capabilities';
import { ValidationError } from '../errors';

const COLLECTION_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * Names that passed the check: an application uses a handful, and a set lookup is cheaper
 * than the pattern on every call of an in-process adapter. Bounded, so a caller cycling
 * through names cannot grow it without limit.
 */
const knownCollections = new Set<string>();
const KNOWN_COLLECTIONS_LIMIT = 1024;

/** Whether `collection` is a valid collection name (see {@link assertCollectionName}). */
export function isCollectionName(collection: unknown): collection is string {
  return (
    knownCollections.has(collection as string) ||
    (typeof collection === 'string' && COLLECTION_NAME.test(collection))
  );
}

/** Throws 400 unless `collection` is a valid collection name (`^[a-z][a-z0-9_-]{0,63}$`). */
export function assertCollectionName(collection: unknown): asserts collection is string {
  if (knownCollections.has(collection as string)) return;
  if (typeof collection !== 'string' || !COLLECTION_NAME.test(collection)) {
    throw new ValidationError(
      `Invalid collection name ${describe(collection)}: use 1 to 64 characters of a-z, 0-9, "_" and "-", starting with a letter`,
    );
  }
  if (knownCollections.size < KNOWN_COLLECTIONS_LIMIT) knownCollections.add(collection);
}

/** Throws 400 unless `id` is 1 to 512 UTF-8 bytes of well-formed Unicode without NUL. */
export function assertDocumentId(id: unknown, collection?: string): asserts id is string {
  const problem = idProblem(id);
  if (problem) {
    throw new ValidationError(`Invalid document id ${describe(id)}: ${problem}`, { collection });
  }
}

/** Whether `id` is a valid document id (see {@link assertDocumentId}). */
export function isDocumentId(id: unknown): id is string {
  return idProblem(id) === undefined;
}

function idProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return 'an id must be a string';
  if (id.length === 0) return 'an id must not be empty';
  if (!id.isWellFormed()) return 'an id must be well-formed Unicode (it has a lone surrogate)';
  if (id.includes('\u0000')) return 'an id must not contain NUL';
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short ids need no count.
  if (id.length * 3 <= MAX_ID_BYTES) return undefined;
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes > MAX_ID_BYTES)
    return `an id is at most ${MAX_ID_BYTES} UTF-8 bytes (this one has ${bytes})`;
  return undefined;
}

/** A short, safe rendering of a bad argument for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown.isWellFormed() ? shown : shown.toWellFormed());
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

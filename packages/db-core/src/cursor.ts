import { ValidationError } from './errors';

const VERSION = 1;

/**
 * Wraps an adapter's position in a page walk into the opaque cursor callers see. The
 * cursor names its collection, so one from another collection is refused too.
 */
export function encodeCursor(collection: string, position: string): string {
  return Buffer.from(JSON.stringify([VERSION, collection, position]), 'utf8').toString('base64url');
}

/** Unwraps a cursor made by {@link encodeCursor}; throws 400 for anything else. */
export function decodeCursor(collection: string, cursor: unknown): string {
  if (typeof cursor === 'string' && cursor.length > 0) {
    const parsed = tryParse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === VERSION &&
      parsed[1] === collection &&
      typeof parsed[2] === 'string'
    ) {
      return parsed[2];
    }
  }
  throw new ValidationError(
    'Invalid cursor: pass the nextCursor of an earlier page of this collection unchanged',
    { collection },
  );
}

/** `JSON.parse`, or `undefined` for text that is not JSON. */
export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

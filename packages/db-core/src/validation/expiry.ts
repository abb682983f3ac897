import { type ErrorTarget, ValidationError } from '../errors';
import { describe } from './names';

/** ISO-8601 date and time with a zone: what `toISOString` writes, and offsets. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The span of instants a JavaScript `Date` can hold, in milliseconds either side of 1970. */
const MAX_EPOCH_MS = 8.64e15;

/**
 * Reads an `expiresAt` option: an ISO-8601 string with a zone, a valid `Date`, or epoch
 * milliseconds. Returns whole epoch milliseconds, or `undefined` when absent. A time in the
 * past is fine (the document is expired at once); anything else is 400.
 */
export function readExpiresAt(value: unknown, target: ErrorTarget): number | undefined {
  if (value === undefined) return undefined;
  let ms: number = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && ISO_INSTANT.test(value)) ms = Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    throw new ValidationError(
      `expiresAt must be an ISO-8601 time with a zone, a valid Date or epoch milliseconds, got ${describe(value)}`,
      target,
    );
  }
  return Math.floor(ms);
}

import type { ErrorTarget } from '../errors';
import { ValidationError } from '../errors';
import { describe } from './names';

/** The page size of `list` when the caller gives none. */
export const DEFAULT_PAGE_SIZE = 100;
/** The largest page size `list` accepts. */
export const MAX_PAGE_SIZE = 1000;

/** Throws 400 unless `options` is absent or a plain object; returns it (`{}` when absent). */
export function readOptions(options: unknown, target: ErrorTarget): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(`Options must be an object, got ${describe(options)}`, target);
  }
  return options as Record<string, unknown>;
}

/** Reads `ifRev` of save: a non-empty string, `null` (create only) or `undefined` (upsert). */
export function readSaveIfRev(value: unknown, target: ErrorTarget): string | null | undefined {
  if (value === undefined || value === null) return value;
  return readRevision(value, target);
}

/** Reads `ifRev` of delete: a non-empty string or `undefined`. */
export function readDeleteIfRev(value: unknown, target: ErrorTarget): string | undefined {
  if (value === undefined) return undefined;
  return readRevision(value, target);
}

function readRevision(value: unknown, target: ErrorTarget): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(
      `ifRev must be a non-empty revision string, got ${describe(value)}`,
      target,
    );
  }
  return value;
}

/** Reads the `limit` of list: an integer from 1 to 1000, 100 when absent. */
export function readPageSize(value: unknown, target: ErrorTarget): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new ValidationError(
      `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${describe(value)}`,
      target,
    );
  }
  return value;
}

/** Throws 400 unless `value` is an array (of batch items or ids). */
export function assertArray(value: unknown, what: string, target: ErrorTarget): void {
  if (!Array.isArray(value)) {
    throw new ValidationError(`${what} must be an array, got ${describe(value)}`, target);
  }
}

/** Reads the `signal` of any call's options: an AbortSignal or absent. */
export function readSignal(value: unknown, target: ErrorTarget): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (value instanceof AbortSignal) return value;
  throw new ValidationError(`signal must be an AbortSignal, got ${describe(value)}`, target);
}

import type { JsonObject, StoredDocument } from '@gofannon/db-core';
import { type DatabaseError, type ErrorCode, isDatabaseError } from '@gofannon/db-core';
import { expect } from 'vitest';

const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  too_large: 413,
  unavailable: 503,
  internal: 500,
};

const CLASS_NAME: Record<ErrorCode, string> = {
  not_found: 'NotFoundError',
  conflict: 'ConflictError',
  invalid: 'ValidationError',
  too_large: 'TooLargeError',
  unavailable: 'UnavailableError',
  internal: 'InternalError',
};

/**
 * Asserts that `work` rejects with a {@link DatabaseError} of this code, its status and
 * class, and the given collection and id when passed. Returns the error.
 */
export async function expectDatabaseError(
  work: Promise<unknown>,
  code: ErrorCode,
  target: { collection?: string; id?: string } = {},
): Promise<DatabaseError> {
  let caught: unknown;
  try {
    await work;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ${code} error, but the call succeeded`).toBeDefined();
  expect(isDatabaseError(caught), `expected a DatabaseError, got ${String(caught)}`).toBe(true);
  const error = caught as DatabaseError;
  expect({ code: error.code, status: error.status, name: error.name }).toEqual({
    code,
    status: STATUS[code],
    name: CLASS_NAME[code],
  });
  expect(error.message.length).toBeGreaterThan(0);
  if (target.collection !== undefined) expect(error.collection).toBe(target.collection);
  if (target.id !== undefined) expect(error.id).toBe(target.id);
  return error;
}

/** What a document must read back as: its JSON round trip plus `_id` and `_rev`. */
export function expectedStored(input: object, id: string, rev: string): StoredDocument {
  const { _id, _rev, ...body } = JSON.parse(JSON.stringify(input)) as JsonObject;
  return { ...body, _id: id, _rev: rev };
}

/** Asserts a stored document equals the round trip of `input` under this id and revision. */
export function expectStored(actual: unknown, input: object, id: string, rev?: string): void {
  const stored = actual as StoredDocument;
  expect(typeof stored._rev).toBe('string');
  expect(stored._rev.length).toBeGreaterThan(0);
  expect(stored).toStrictEqual(expectedStored(input, id, rev ?? stored._rev));
}

/** Retries `check` every 250 ms until it passes; past `withinMs` its last error is thrown. */
export async function eventually(check: () => Promise<unknown>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

import type { JsonObject, StoredDocument } from '@gofannon/db-core';
import { type DatabaseError, type ErrorCode, isDatabaseError } from '@gofannon/db-core';
import { assert, expect } from 'vitest';

const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  index_required: 400,
  too_large: 413,
  unavailable: 503,
  internal: 500,
};

const CLASS_NAME: Record<ErrorCode, string> = {
  not_found: 'NotFoundError',
  conflict: 'ConflictError',
  invalid: 'ValidationError',
  index_required: 'IndexRequiredError',
  too_large: 'TooLargeError',
  unavailable: 'UnavailableError',
  internal: 'InternalError',
};

/** How an error reads in a failure message: "not_found 404: Document ... not found". */
export function describeError(error: unknown): string {
  if (isDatabaseError(error)) return `${error.code} ${error.status}: ${error.message}`;
  if (error instanceof Error) return `${error.name} (not a DatabaseError): ${error.message}`;
  return `${describeValue(error)} (not an Error)`;
}

/** A short form of any value for a failure message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** What one saveMany or deleteMany result came to: "ok", or an error's code and status ("conflict 409"). */
export function outcomeCode(result: object | undefined): string {
  if (result === undefined) return 'nothing';
  if (!('error' in result)) return 'ok';
  return isDatabaseError(result.error)
    ? `${result.error.code} ${result.error.status}`
    : 'not a DatabaseError';
}

/** One saveMany or deleteMany result for a failure message: "ok" or "conflict 409: ...". */
export function describeOutcome(result: object | undefined): string {
  if (result === undefined) return 'nothing (no result at this position)';
  if ('error' in result) return describeError(result.error);
  return 'rev' in result ? `ok (rev ${String(result.rev)})` : 'ok';
}

/**
 * Asserts that `work` rejects with a {@link DatabaseError} of this code, its status and
 * class, and the given collection and id when passed. Returns the error. A failure says
 * what came back instead: "expected a conflict error (409), got not_found 404: ...".
 */
export async function expectDatabaseError(
  work: Promise<unknown>,
  code: ErrorCode,
  target: { collection?: string; id?: string } = {},
): Promise<DatabaseError> {
  const expected = `${/^[aeiou]/.test(code) ? 'an' : 'a'} ${code} error (${STATUS[code]})`;
  const outcome = await work.then(
    (value) => ({ succeeded: true as const, value }),
    (error: unknown) => ({ succeeded: false as const, error }),
  );
  if (outcome.succeeded) {
    assert.fail(
      `expected ${expected}, but the call succeeded with ${describeValue(outcome.value)}`,
    );
  }
  const caught = outcome.error;
  if (!isDatabaseError(caught) || caught.code !== code) {
    assert.fail(`expected ${expected}, got ${describeError(caught)}`);
  }
  const error = caught;
  if (error.status !== STATUS[code] || error.name !== CLASS_NAME[code]) {
    assert.fail(
      `expected ${expected} as a ${CLASS_NAME[code]}, got a ${error.name} with status ${error.status}: ${error.message}`,
    );
  }
  expect(error.message.length, `the ${code} error has an empty message`).toBeGreaterThan(0);
  for (const key of ['collection', 'id'] as const) {
    const wanted = target[key];
    if (wanted !== undefined && error[key] !== wanted) {
      assert.fail(
        `expected ${expected} naming ${key} ${describeValue(wanted)}, got ${key} ${describeValue(error[key])} (${describeError(error)})`,
      );
    }
  }
  return error;
}

/** Settles as `work` does; a failure's message starts with `label`, to say which input failed. */
export async function labelled<T>(label: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith(label)) {
      error.message = `${label}: ${error.message}`;
    }
    throw error;
  }
}

/**
 * Asserts that no revision appears twice among the writes of one document, naming the
 * revision and the two writes that got it: "revision "1-x" of "aba" came back from write 1
 * (create) and again from write 4 (re-create after delete)".
 */
export function expectNoReusedRevision(
  id: string,
  writes: ReadonlyArray<{ rev: string; step: string }>,
): void {
  const first = new Map<string, number>();
  writes.forEach(({ rev, step }, index) => {
    const earlier = first.get(rev);
    if (earlier !== undefined) {
      const before = writes[earlier] as { step: string };
      assert.fail(
        `revision ${describeValue(rev)} of ${describeValue(id)} came back from write ${earlier + 1} (${before.step}) and again from write ${index + 1} (${step}): a revision is never reused for the same id`,
      );
    }
    first.set(rev, index);
  });
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

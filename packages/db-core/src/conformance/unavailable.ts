import type { DatabaseService } from '@gofannon/db-core';
import { isDatabaseError } from '@gofannon/db-core';
import { describeError, describeOutcome, describeValue } from './expectations';

/** How a call settled. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One public call, and what is wrong with its answer when the backend cannot be used. */
export interface Operation {
  name: string;
  call(): Promise<unknown>;
  /** Undefined when the answer was a clean 503; otherwise what came back instead. */
  problem(settled: Settled): string | undefined;
}

/** A call that can only reject: anything but a 503 is wrong. */
function single(name: string, call: () => Promise<unknown>): Operation {
  return {
    name,
    call,
    problem: (settled) =>
      settled.ok
        ? `expected an unavailable error (503), but it succeeded with ${describeValue(settled.value)}`
        : unlessUnavailable(settled.error),
  };
}

/**
 * A batch call that reports items on their own: a 503 for the whole call, or one result per
 * item, in order, each a 503. An item reported as done, missing or in conflict while the
 * backend could not be reached is half-reported: the caller would act on a guess.
 */
function batch(name: string, ids: readonly string[], call: () => Promise<unknown>): Operation {
  return {
    name,
    call,
    problem(settled) {
      if (!settled.ok) return unlessUnavailable(settled.error);
      const results = settled.value;
      if (!Array.isArray(results) || results.length !== ids.length) {
        return `expected 503 for the call or for each of its ${ids.length} items, got ${describeValue(results)}`;
      }
      const wrong = ids.flatMap((id, i) => {
        const result = results[i] as { id?: unknown; error?: unknown } | undefined;
        if (result?.id !== id)
          return [`item ${i} names ${describeValue(result?.id)}, not ${describeValue(id)}`];
        if (isDatabaseError(result.error) && result.error.code === 'unavailable') return [];
        return [`item ${i} (${describeValue(id)}) was reported as ${describeOutcome(result)}`];
      });
      return wrong.length === 0
        ? undefined
        : `expected 503 for every item, but ${wrong.join('; ')}`;
    },
  };
}

function unlessUnavailable(error: unknown): string | undefined {
  if (isDatabaseError(error) && error.code === 'unavailable' && error.status === 503)
    return undefined;
  return `expected an unavailable error (503), got ${describeError(error)}`;
}

/** Every call but the batches, each once. `a` may exist; nothing else is assumed. */
export function singleCalls(service: DatabaseService, collection: string): Operation[] {
  return [
    single('get', () => service.get(collection, 'a')),
    single('save', () => service.save(collection, 'a', { v: 1 })),
    single('delete', () => service.delete(collection, 'a')),
    single('listAll', () => service.listAll(collection)),
    single('list', () => service.list(collection)),
    single('ping', () => service.ping()),
    // Only where there is something to purge: elsewhere it answers 0 without the backend.
    ...(service.capabilities.expiry === true
      ? [single('purgeExpired', () => service.purgeExpired(collection))]
      : []),
  ];
}

/**
 * The batch calls, each over a stored document, a missing one and one written with a real
 * `ifRev`: `rev` is the stored revision of `b`.
 */
export function batchCalls(service: DatabaseService, collection: string, rev: string): Operation[] {
  const ids = ['a', 'missing', 'b'];
  return [
    // getMany has no per-item errors: a null would claim the document does not exist.
    single('getMany', () => service.getMany(collection, ids)),
    batch('saveMany', ids, () =>
      service.saveMany(collection, [
        { id: 'a', doc: { v: 2 } },
        { id: 'missing', doc: { v: 2 }, ifRev: null },
        { id: 'b', doc: { v: 2 }, ifRev: rev },
      ]),
    ),
    batch('deleteMany', ids, () => service.deleteMany(collection, ids)),
  ];
}

/** Runs `work` and reports how it settled. */
export function settle(work: Promise<unknown>): Promise<Settled> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

import type { DatabaseError, ErrorTarget } from '@gofannon/db-core';

/**
 * Runs `work` for each item and answers one outcome per item, in order: its result, or its
 * failure turned into a {@link DatabaseError} by `toError` (an adapter passes
 * `(error, target) => this.asDatabaseError(error, target)`). For batch calls that the
 * backend answers item by item.
 */
export async function settleEach<I, R>(
  items: readonly I[],
  work: (item: I, index: number) => Promise<R>,
  toError: (error: unknown, item: I) => DatabaseError,
): Promise<Array<R | DatabaseError>> {
  const settled = await Promise.allSettled(items.map((item, index) => work(item, index)));
  return settled.map((result, index) =>
    result.status === 'fulfilled' ? result.value : toError(result.reason, items[index] as I),
  );
}

/** The error target of one item of a batch. */
export function itemTarget(collection: string, id: string): ErrorTarget {
  return { collection, id };
}

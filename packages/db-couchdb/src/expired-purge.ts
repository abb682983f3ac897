import { type ExpiryRow, expiredBatchQuery } from './expiry-view';

/** Reads one batch of the expiry view (one bounded request). */
export type ReadExpired = (query: Record<string, unknown>) => Promise<ExpiryRow[]>;

/** Deletes each row's document at the row's revision (one bounded request); how many went. */
export type DeleteExpired = (rows: ExpiryRow[]) => Promise<number>;

/**
 * Walks the expiry view up to `now` in batches of `batch` rows, keyset by key and id so
 * that every row is visited once, and deletes each batch at the revisions the view named.
 * The read of the next batch goes out while the current one is being deleted: it starts
 * after the current batch's last row, so it does not depend on the deletes. Several
 * processes may walk at once: each document's delete succeeds for one of them only.
 */
export async function purgeByView(
  now: number,
  batch: number,
  read: ReadExpired,
  remove: DeleteExpired,
): Promise<number> {
  let purged = 0;
  let after: ExpiryRow | undefined;
  let rows = await read(expiredBatchQuery(now, batch, after));
  for (;;) {
    // The row the read started from, if its delete lost to a re-save and it is still there.
    const fresh =
      after === undefined
        ? rows
        : rows.filter((row) => row.id !== after?.id || row.key !== after.key);
    const more = rows.length >= batch + (after === undefined ? 0 : 1);
    after = rows.at(-1) ?? after;
    const next = more ? read(expiredBatchQuery(now, batch + 1, after)) : undefined;
    const [deleted, nextRows] = await Promise.all([fresh.length > 0 ? remove(fresh) : 0, next]);
    purged += deleted;
    if (nextRows === undefined) return purged;
    rows = nextRows;
  }
}

import { quoteIdentifier } from './identifiers';
import { indexName } from './index-statement';

/**
 * The expiry column: epoch milliseconds, as core hands them over (`doc.expiresAt`), or
 * NULL for a document that never expires. A bigint compares exactly with the clock's
 * milliseconds over the whole span a `Date` allows, where `timestamptz` would round
 * through floating point and refuse years before 4713 BC.
 */
export const EXPIRES_AT = 'expires_at bigint';

/** Most rows one purge statement deletes: bounded, so each ends well within a call's timeout. */
export const PURGE_BATCH = 1000;

/**
 * SQL true when the row has not expired by `now` (a parameter: the service's clock, never
 * the server's `now()`). An expired row is absent for every conditional write.
 */
export function live(now: string, row = ''): string {
  return `(${row}expires_at IS NULL OR ${row}expires_at > ${now})`;
}

/**
 * The partial index the purge walks: only rows that expire are in it, so documents that
 * never expire cost it nothing. Its name takes a tag of its own in the hash, so an
 * `ensureIndex(['expires_at'])` of a document field never takes it.
 */
export function createExpiryIndex(table: string, qualifiedTable: string): string {
  const name = quoteIdentifier(indexName(table, ['expires_at'], 'expiry'));
  return `CREATE INDEX IF NOT EXISTS ${name} ON ${qualifiedTable} (expires_at) WHERE expires_at IS NOT NULL`;
}

/**
 * Brings a table of an earlier version (no expiry column) up to date: the column (instant,
 * as it has no default), then its index. Two statements, each its own transaction, so a
 * slow index build on a large table never undoes the column.
 */
export function addExpiryStatements(table: string, qualifiedTable: string): string[] {
  return [
    `ALTER TABLE ${qualifiedTable} ADD COLUMN IF NOT EXISTS ${EXPIRES_AT}`,
    createExpiryIndex(table, qualifiedTable),
  ];
}

/**
 * One bounded batch of the purge ($1: now): deletes up to {@link PURGE_BATCH} rows expired
 * by then, oldest first along the partial index, and answers how many. `FOR UPDATE` checks
 * the expiry again on the newest version of each row it locks (a document saved again
 * after it expired no longer matches), and the lock keeps the row as it is until the
 * DELETE removes it by its ctid, straight from the heap. `SKIP LOCKED` leaves rows another
 * purge has taken (or a writer holds) to them, so processes purging at once delete
 * disjoint rows.
 */
export function purgeStatement(qualifiedTable: string): string {
  return `WITH gone AS (
      DELETE FROM ${qualifiedTable} WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM ${qualifiedTable} WHERE expires_at <= $1
        ORDER BY expires_at LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED
      ))
      RETURNING 1
    )
    SELECT count(*)::int AS purged FROM gone`;
}

import type pg from 'pg';
import { QUERIED_STATUS } from './dataset';
import type { PageReader } from './walk';

/** The hand-written statements, for the report: first page and the pages after it. */
export interface HandSql {
  first: string;
  next: string;
}

/**
 * The query written by hand against the index the adapter's `ensureIndex` made, on the
 * same table: the index's own column expressions, read from the catalog (so it cannot
 * miss the index by a character), with the values a person reading that definition
 * would write: rank 4 (a string) and 0 for the status's number column, rank 3 (a number)
 * and '' for the cursor's. Keyset paging on the index's columns, `limit + 1` rows, plain
 * unnamed statements on a pool of its own; no validation, no cursor encoding.
 */
export async function handWrittenQuery(
  pool: pg.Pool,
  table: string,
  regclass: string,
  pageSize: number,
): Promise<{ sql: HandSql; read: PageReader }> {
  const { rows } = await pool.query<{ expr: string; collation: string | null }>(
    `SELECT pg_get_indexdef(i.indexrelid, k, true) AS expr,
            CASE WHEN c.collname IS NOT NULL AND c.collname <> 'default' THEN c.collname END AS collation
       FROM pg_index i
      CROSS JOIN generate_series(1, i.indnatts) AS k
       LEFT JOIN pg_collation c ON c.oid = i.indcollation[k - 1]
      -- The query's index: not the primary key, nor the partial index of expiry times.
      WHERE i.indrelid = to_regclass($1) AND NOT i.indisprimary AND i.indpred IS NULL
      ORDER BY k`,
    [regclass],
  );
  const columns = rows.map(({ expr, collation }) =>
    collation ? `(${expr}) COLLATE "${collation.replaceAll('"', '""')}"` : `(${expr})`,
  );
  if (columns.length !== 7) {
    throw new Error(`expected one index of 7 columns on ${regclass}, found ${columns.length}`);
  }
  const [statusRank, statusNumber, statusText, ...order] = columns as string[];
  const select = `SELECT id, rev, doc FROM ${table}
    WHERE ${statusRank} = 4 AND ${statusNumber} = 0 AND ${statusText} = $1`;
  const orderBy = `ORDER BY ${order.map((column) => `${column} DESC`).join(', ')}`;
  const sql: HandSql = {
    first: `${select}\n    ${orderBy} LIMIT $2`,
    next: `${select}\n      AND (${order.join(', ')}) < (3, $2, '', $3)\n    ${orderBy} LIMIT $4`,
  };
  const read: PageReader = async (cursor) => {
    const result =
      cursor === null
        ? await pool.query({ text: sql.first, values: [QUERIED_STATUS, pageSize + 1] })
        : await pool.query({
            text: sql.next,
            values: [QUERIED_STATUS, ...(JSON.parse(cursor) as [string, string]), pageSize + 1],
          });
    if (result.rows.length <= pageSize) return null;
    const last = result.rows[pageSize - 1] as { id: string; doc: { created_at: number } };
    return JSON.stringify([String(last.doc.created_at), last.id]);
  };
  return { sql, read };
}

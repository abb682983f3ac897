import {
  addExpiryStatements,
  createExpiryIndex,
  EXPIRES_AT,
  live,
  purgeStatement,
} from './expiry-statements';

/** Every statement the adapter runs against one table, written once per collection. */
export interface TableStatements {
  /** The table's quoted, schema-qualified name. */
  table: string;
  /**
   * Run in order; a step is skipped when its `unless` query (with `values`) finds a row.
   * The last makes the table and its expiry index in one transaction: both or neither.
   */
  createTable: Array<{ unless?: { text: string; values: string[] }; create: string }>;
  /** Adds the expiry column and its index to a table an earlier version made; in order. */
  addExpiry: string[];
  get: string;
  /** Whether the row exists and has not expired ($1 id, $2 now). */
  live: string;
  upsert: string;
  /** Inserts, or writes over a row expired by $5 (its revision counts on). */
  create: string;
  update: string;
  /** Answers `live` for the row it deleted: an expired row is deleted but was missing. */
  delete: string;
  deleteIfRev: string;
  firstPage: string;
  nextPage: string;
  getMany: string;
  /** `saveMany` of a chunk with conditions of any kind. */
  saveMany: string;
  /**
   * `saveMany` of a chunk of plain upserts, the common case: ids as an array, documents as
   * one JSON array, and 12 random hex digits that each row's position completes to its
   * revision suffix. Answers only the rows that existed before: a new row's revision is
   * "1-" and that suffix.
   */
  upsertMany: string;
  /** `upsertMany` for ids that are all new: a plain INSERT, which fails on any stored id. */
  insertMany: string;
  /** `deleteMany` ($2 now): answers the ids of the rows that were there and had not expired. */
  deleteMany: string;
  /** One bounded batch of `purgeExpired` ($1 now); answers `purged`. */
  purge: string;
}

/**
 * The SQL for a table, given as a quoted, schema-qualified name: identifiers are the only
 * text put into statements, and they are quoted; every value travels as a parameter.
 * A revision is "<writes>-<random>": the count goes up with each write of the document,
 * and the random part keeps it unique across delete and re-create.
 */
export function tableStatements(
  table: string,
  name: string,
  schema: { quoted: string; name: string } | null,
): TableStatements {
  const nextRev = (random: string) =>
    `(split_part(t.rev, '-', 1)::bigint + 1)::text || '-' || ${random}`;
  const columns = 'id, rev, doc';
  const written = `${columns}, expires_at`;
  const overwrite = 'doc = EXCLUDED.doc, expires_at = EXCLUDED.expires_at';
  // The rows of a plain-upsert chunk: ids, documents, the chunk's random digits and the
  // expiries ($4 NULL when none expires: ROWS FROM pads the shorter list with NULLs).
  const newRows = `SELECT x.id, '1-' || $3 || lpad(to_hex(x.n), 4, '0'), x.doc, x.expires_at
        FROM ROWS FROM (unnest($1::text[]), jsonb_array_elements($2::jsonb), unnest($4::bigint[]))
          WITH ORDINALITY AS x(id, doc, expires_at, n)
        ORDER BY x.id`;
  return {
    table,
    createTable: [
      // Looked up first: CREATE SCHEMA needs the CREATE right on the database, even with
      // IF NOT EXISTS, which a user with rights on an existing schema may lack.
      ...(schema
        ? [
            {
              unless: {
                text: 'SELECT 1 FROM pg_namespace WHERE nspname = $1',
                values: [schema.name],
              },
              create: `CREATE SCHEMA IF NOT EXISTS ${schema.quoted}`,
            },
          ]
        : []),
      {
        // Several statements in one simple query run as one transaction.
        create: `CREATE TABLE IF NOT EXISTS ${table} (id text COLLATE "C" PRIMARY KEY, rev text NOT NULL, doc jsonb NOT NULL, ${EXPIRES_AT});
          ${createExpiryIndex(name, table)}`,
      },
    ],
    addExpiry: addExpiryStatements(name, table),
    get: `SELECT ${columns} FROM ${table} WHERE id = $1`,
    live: `SELECT 1 FROM ${table} WHERE id = $1 AND ${live('$2::bigint')}`,
    upsert: `INSERT INTO ${table} AS t (${written}) VALUES ($1, '1-' || $3, $2::jsonb, $4::bigint)
      ON CONFLICT (id) DO UPDATE SET rev = ${nextRev('$3')}, ${overwrite}
      RETURNING rev`,
    create: `INSERT INTO ${table} AS t (${written}) VALUES ($1, '1-' || $3, $2::jsonb, $4::bigint)
      ON CONFLICT (id) DO UPDATE SET rev = ${nextRev('$3')}, ${overwrite}
        WHERE t.expires_at <= $5::bigint
      RETURNING rev`,
    update: `UPDATE ${table} AS t SET rev = ${nextRev('$4')}, doc = $2::jsonb, expires_at = $5::bigint
      WHERE id = $1 AND rev = $3 AND ${live('$6::bigint')}
      RETURNING rev`,
    delete: `DELETE FROM ${table} WHERE id = $1 RETURNING ${live('$2::bigint')} AS live`,
    deleteIfRev: `WITH gone AS (DELETE FROM ${table} WHERE id = $1 AND rev = $2 AND ${live('$3::bigint')} RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM gone) AS deleted,
        EXISTS (SELECT 1 FROM ${table} WHERE id = $1 AND ${live('$3::bigint')}) AS present`,
    firstPage: `SELECT ${columns} FROM ${table} ORDER BY id LIMIT $1`,
    nextPage: `SELECT ${columns} FROM ${table} WHERE id > $2 ORDER BY id LIMIT $1`,
    getMany: `SELECT ${columns} FROM ${table} WHERE id = ANY($1::text[])`,
    upsertMany: `WITH written AS (
        INSERT INTO ${table} AS t (${written})
        ${newRows}
        ON CONFLICT (id) DO UPDATE SET rev = ${nextRev("split_part(EXCLUDED.rev, '-', 2)")}, ${overwrite}
        RETURNING t.id, t.rev
      )
      SELECT id, rev FROM written WHERE NOT starts_with(rev, '1-')`,
    insertMany: `INSERT INTO ${table} (${written})
        ${newRows}`,
    // $2: now. A create writes over a row expired by then; an update never matches one.
    saveMany: `WITH input AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb)
          AS i(id text, mode text, if_rev text, suffix text, doc jsonb, expires_at bigint)
      ), upserted AS (
        INSERT INTO ${table} AS t (${written})
        SELECT id, '1-' || suffix, doc, expires_at FROM input WHERE mode = 'upsert' ORDER BY id
        ON CONFLICT (id) DO UPDATE SET rev = ${nextRev("split_part(EXCLUDED.rev, '-', 2)")}, ${overwrite}
        RETURNING t.id, t.rev
      ), created AS (
        INSERT INTO ${table} AS t (${written})
        SELECT id, '1-' || suffix, doc, expires_at FROM input WHERE mode = 'create' ORDER BY id
        ON CONFLICT (id) DO UPDATE SET rev = ${nextRev("split_part(EXCLUDED.rev, '-', 2)")}, ${overwrite}
          WHERE t.expires_at <= $2::bigint
        RETURNING t.id, t.rev
      ), updated AS (
        UPDATE ${table} AS t SET rev = ${nextRev('input.suffix')}, doc = input.doc, expires_at = input.expires_at
        FROM input WHERE input.mode = 'update' AND t.id = input.id AND t.rev = input.if_rev
          AND ${live('$2::bigint', 't.')}
        RETURNING t.id, t.rev
      )
      SELECT id, rev FROM upserted UNION ALL SELECT id, rev FROM created UNION ALL SELECT id, rev FROM updated`,
    deleteMany: `WITH gone AS (DELETE FROM ${table} WHERE id = ANY($1::text[]) RETURNING id, expires_at)
      SELECT id FROM gone WHERE ${live('$2::bigint')}`,
    purge: purgeStatement(table),
  };
}

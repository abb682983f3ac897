/** Every statement the adapter runs against one table, written once per collection. */
export interface TableStatements {
  /** The table's quoted, schema-qualified name. */
  table: string;
  /** Run in order; a step is skipped when its `unless` query (with `values`) finds a row. */
  createTable: Array<{ unless?: { text: string; values: string[] }; create: string }>;
  get: string;
  upsert: string;
  create: string;
  update: string;
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
  deleteMany: string;
}

/**
 * The SQL for a table, given as a quoted, schema-qualified name: identifiers are the only
 * text put into statements, and they are quoted; every value travels as a parameter.
 * A revision is "<writes>-<random>": the count goes up with each write of the document,
 * and the random part keeps it unique across delete and re-create.
 */
export function tableStatements(
  table: string,
  schema: { quoted: string; name: string } | null,
): TableStatements {
  const nextRev = (random: string) =>
    `(split_part(t.rev, '-', 1)::bigint + 1)::text || '-' || ${random}`;
  const columns = 'id, rev, doc';
  // The rows of a plain-upsert chunk: ids, documents and the chunk's random digits.
  const newRows = `SELECT x.id, '1-' || $3 || lpad(to_hex(x.n), 4, '0'), x.doc
        FROM ROWS FROM (unnest($1::text[]), jsonb_array_elements($2::jsonb)) WITH ORDINALITY AS x(id, doc, n)
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
        create: `CREATE TABLE IF NOT EXISTS ${table} (id text COLLATE "C" PRIMARY KEY, rev text NOT NULL, doc jsonb NOT NULL)`,
      },
    ],
    get: `SELECT ${columns} FROM ${table} WHERE id = $1`,
    upsert: `INSERT INTO ${table} AS t (${columns}) VALUES ($1, '1-' || $3, $2::jsonb)
      ON CONFLICT (id) DO UPDATE SET rev = ${nextRev('$3')}, doc = EXCLUDED.doc
      RETURNING rev`,
    create: `INSERT INTO ${table} (${columns}) VALUES ($1, '1-' || $3, $2::jsonb)
      ON CONFLICT (id) DO NOTHING
      RETURNING rev`,
    update: `UPDATE ${table} AS t SET rev = ${nextRev('$4')}, doc = $2::jsonb
      WHERE id = $1 AND rev = $3
      RETURNING rev`,
    delete: `DELETE FROM ${table} WHERE id = $1 RETURNING id`,
    deleteIfRev: `WITH gone AS (DELETE FROM ${table} WHERE id = $1 AND rev = $2 RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM gone) AS deleted, EXISTS (SELECT 1 FROM ${table} WHERE id = $1) AS present`,
    firstPage: `SELECT ${columns} FROM ${table} ORDER BY id LIMIT $1`,
    nextPage: `SELECT ${columns} FROM ${table} WHERE id > $2 ORDER BY id LIMIT $1`,
    getMany: `SELECT ${columns} FROM ${table} WHERE id = ANY($1::text[])`,
    upsertMany: `WITH written AS (
        INSERT INTO ${table} AS t (${columns})
        ${newRows}
        ON CONFLICT (id) DO UPDATE SET rev = ${nextRev("split_part(EXCLUDED.rev, '-', 2)")}, doc = EXCLUDED.doc
        RETURNING t.id, t.rev
      )
      SELECT id, rev FROM written WHERE NOT starts_with(rev, '1-')`,
    insertMany: `INSERT INTO ${table} (${columns})
        ${newRows}`,
    saveMany: `WITH input AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(id text, mode text, if_rev text, suffix text, doc jsonb)
      ), upserted AS (
        INSERT INTO ${table} AS t (${columns})
        SELECT id, '1-' || suffix, doc FROM input WHERE mode = 'upsert' ORDER BY id
        ON CONFLICT (id) DO UPDATE SET rev = ${nextRev("split_part(EXCLUDED.rev, '-', 2)")}, doc = EXCLUDED.doc
        RETURNING t.id, t.rev
      ), created AS (
        INSERT INTO ${table} (${columns})
        SELECT id, '1-' || suffix, doc FROM input WHERE mode = 'create' ORDER BY id
        ON CONFLICT (id) DO NOTHING
        RETURNING id, rev
      ), updated AS (
        UPDATE ${table} AS t SET rev = ${nextRev('input.suffix')}, doc = input.doc
        FROM input WHERE input.mode = 'update' AND t.id = input.id AND t.rev = input.if_rev
        RETURNING t.id, t.rev
      )
      SELECT id, rev FROM upserted UNION ALL SELECT id, rev FROM created UNION ALL SELECT id, rev FROM updated`,
    deleteMany: `DELETE FROM ${table} WHERE id = ANY($1::text[]) RETURNING id`,
  };
}

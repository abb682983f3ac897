import type { JsonObject, ListPage, SaveManyItem, StoredDocument } from '@gofannon/db-core';
import pg from 'pg';
import type { BenchTarget } from './bench-target';

interface Row {
  id: string;
  rev: string;
  doc: JsonObject;
}

/** The SQL of one collection's table, written once. */
interface TableSql {
  get: string;
  save: string;
  update: string;
  delete: string;
  firstPage: string;
  nextPage: string;
  getMany: string;
  saveMany: string;
}

/**
 * PostgreSQL done by hand with a raw `pg.Pool`: one table per collection,
 * `(id text PRIMARY KEY, rev text, doc jsonb)`, and one plain statement per operation.
 * Revisions are `gen_random_uuid()`s made by the server. No validation, no identifier
 * checks, no timeouts, no error mapping, no retries; documents go to pg as objects (pg
 * turns them into JSON) and come back as pg parses them.
 *
 * - `get`: `SELECT ... WHERE id = $1`
 * - `save`: `INSERT ... ON CONFLICT (id) DO UPDATE` with a new revision
 * - `saveIfRev`: `UPDATE ... WHERE id = $1 AND rev = $2`
 * - `delete`: `DELETE ... WHERE id = $1`
 * - `listPage`: keyset, `WHERE id > $1 ORDER BY id LIMIT n + 1`; the extra row only says
 *   whether there is a next page, so the last page is known without reading an empty one
 * - `getMany`: `WHERE id = ANY($1)`, rows put back in the order asked for
 * - `saveMany`: one `INSERT ... SELECT FROM jsonb_to_recordset($1) ON CONFLICT DO UPDATE`
 *   for the whole batch
 *
 * The id column is `COLLATE "C"`, as the adapter's is, so both compare ids the same (cheap,
 * byte-wise) way whatever the database's default collation.
 */
export class PgBaseline implements BenchTarget {
  readonly #pool: pg.Pool;
  readonly #tables = new Map<string, { name: string; sql: TableSql }>();

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Opens a pool and creates one empty table per collection, named `prefix + collection`. */
  static async create(
    config: pg.PoolConfig,
    prefix: string,
    collections: readonly string[],
  ): Promise<PgBaseline> {
    const baseline = new PgBaseline(new pg.Pool(config));
    baseline.#pool.on('error', () => {});
    try {
      for (const collection of collections) {
        const name = `"${`${prefix}${collection}`.replaceAll('"', '""')}"`;
        await baseline.#pool.query(
          `CREATE TABLE ${name} (id text COLLATE "C" PRIMARY KEY, rev text NOT NULL, doc jsonb NOT NULL)`,
        );
        baseline.#tables.set(collection, { name, sql: tableSql(name) });
      }
    } catch (error) {
      await baseline.close();
      throw error;
    }
    return baseline;
  }

  async get(collection: string, id: string): Promise<StoredDocument> {
    const { rows } = await this.#pool.query<Row>(this.#sql(collection).get, [id]);
    const row = rows[0];
    if (!row) throw new Error(`Baseline has no ${collection}/${id}`);
    return stored(row);
  }

  async save(collection: string, id: string, doc: JsonObject): Promise<string> {
    const { rows } = await this.#pool.query<{ rev: string }>(this.#sql(collection).save, [id, doc]);
    return (rows[0] as { rev: string }).rev;
  }

  async saveIfRev(collection: string, id: string, doc: JsonObject, rev: string): Promise<string> {
    const { rows } = await this.#pool.query<{ rev: string }>(this.#sql(collection).update, [
      id,
      rev,
      doc,
    ]);
    const row = rows[0];
    if (!row) throw new Error(`Baseline revision conflict on ${collection}/${id}`);
    return row.rev;
  }

  async delete(collection: string, id: string): Promise<void> {
    const { rowCount } = await this.#pool.query(this.#sql(collection).delete, [id]);
    if (rowCount !== 1) throw new Error(`Baseline has no ${collection}/${id} to delete`);
  }

  async listPage(collection: string, limit: number, cursor: string | null): Promise<ListPage> {
    const sql = this.#sql(collection);
    const { rows } =
      cursor === null
        ? await this.#pool.query<Row>(sql.firstPage, [limit + 1])
        : await this.#pool.query<Row>(sql.nextPage, [cursor, limit + 1]);
    const page = rows.slice(0, limit);
    return {
      documents: page.map(stored),
      nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Array<StoredDocument | null>> {
    const { rows } = await this.#pool.query<Row>(this.#sql(collection).getMany, [ids]);
    const byId = new Map(rows.map((row) => [row.id, stored(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async saveMany(collection: string, items: readonly SaveManyItem[]): Promise<void> {
    const batch = JSON.stringify(items.map((item) => ({ id: item.id, doc: item.doc })));
    const { rowCount } = await this.#pool.query(this.#sql(collection).saveMany, [batch]);
    if (rowCount !== items.length) {
      throw new Error(
        `Baseline bulk write to ${collection} wrote ${rowCount} of ${items.length} rows`,
      );
    }
  }

  /** Drops the tables this baseline created and closes its pool. */
  async close(): Promise<void> {
    try {
      for (const { name } of this.#tables.values()) {
        await this.#pool.query(`DROP TABLE IF EXISTS ${name}`);
      }
      this.#tables.clear();
    } finally {
      await this.#pool.end();
    }
  }

  #sql(collection: string): TableSql {
    const table = this.#tables.get(collection);
    if (!table) throw new Error(`Baseline has no table for collection ${collection}`);
    return table.sql;
  }
}

function tableSql(table: string): TableSql {
  const columns = 'id, rev, doc';
  return {
    get: `SELECT ${columns} FROM ${table} WHERE id = $1`,
    save: `INSERT INTO ${table} (${columns}) VALUES ($1, gen_random_uuid()::text, $2)
      ON CONFLICT (id) DO UPDATE SET rev = EXCLUDED.rev, doc = EXCLUDED.doc
      RETURNING rev`,
    update: `UPDATE ${table} SET rev = gen_random_uuid()::text, doc = $3
      WHERE id = $1 AND rev = $2
      RETURNING rev`,
    delete: `DELETE FROM ${table} WHERE id = $1`,
    firstPage: `SELECT ${columns} FROM ${table} ORDER BY id LIMIT $1`,
    nextPage: `SELECT ${columns} FROM ${table} WHERE id > $1 ORDER BY id LIMIT $2`,
    getMany: `SELECT ${columns} FROM ${table} WHERE id = ANY($1)`,
    saveMany: `INSERT INTO ${table} (${columns})
      SELECT id, gen_random_uuid()::text, doc FROM jsonb_to_recordset($1::jsonb) AS i(id text, doc jsonb)
      ON CONFLICT (id) DO UPDATE SET rev = EXCLUDED.rev, doc = EXCLUDED.doc`,
  };
}

/** The row's document with `_id` and `_rev` added, as a stored document. */
function stored(row: Row): StoredDocument {
  const doc = row.doc as StoredDocument;
  doc._id = row.id;
  doc._rev = row.rev;
  return doc;
}

import type { JsonObject, ListPage, SaveManyItem, StoredDocument } from '@gofannon/db-core';
import nano from 'nano';
import type { BenchTarget } from './bench-target';

/** Where the baseline reaches CouchDB: the server (or a proxy in front of it) and an admin. */
export interface NanoConnection {
  url: string;
  user: string;
  password: string;
}

type CouchBody = Record<string, unknown>;

/**
 * CouchDB done by hand with raw nano, the way its README shows: `db.get`, `db.insert` (with
 * `_rev` for an update), `db.destroy` with a known revision, `db.list` paged by `startkey`,
 * `db.fetch` and `db.bulk`. No validation, no id escaping, no revision cache, no timeouts,
 * no error mapping. One database per collection (prefix + name), created up front.
 *
 * It does only what the workload asks for: `save` writes new documents (no revision), and
 * `delete` removes documents this baseline saved, with the revision `save` got back.
 */
export class NanoBaseline implements BenchTarget {
  readonly #server: nano.ServerScope;
  readonly #prefix: string;
  readonly #databases = new Map<string, nano.DocumentScope<CouchBody>>();
  /** Revisions `save` got back, so `delete` can name the revision as CouchDB requires. */
  readonly #savedRevs = new Map<string, string>();

  private constructor(server: nano.ServerScope, prefix: string) {
    this.#server = server;
    this.#prefix = prefix;
  }

  /** Connects and creates one empty database per collection, named `prefix + collection`. */
  static async create(
    connection: NanoConnection,
    prefix: string,
    collections: readonly string[],
  ): Promise<NanoBaseline> {
    const url = new URL(connection.url);
    url.username = encodeURIComponent(connection.user);
    url.password = encodeURIComponent(connection.password);
    const baseline = new NanoBaseline(nano({ url: url.toString() }), prefix);
    for (const collection of collections) {
      await baseline.#server.db.create(`${prefix}${collection}`);
      baseline.#databases.set(collection, baseline.#server.use(`${prefix}${collection}`));
    }
    return baseline;
  }

  async get(collection: string, id: string): Promise<StoredDocument> {
    return (await this.#db(collection).get(id)) as unknown as StoredDocument;
  }

  async save(collection: string, id: string, doc: JsonObject): Promise<string> {
    const { rev } = await this.#db(collection).insert(doc, id);
    this.#savedRevs.set(`${collection}\u0000${id}`, rev);
    return rev;
  }

  async saveIfRev(collection: string, id: string, doc: JsonObject, rev: string): Promise<string> {
    const result = await this.#db(collection).insert({ ...doc, _rev: rev }, id);
    return result.rev;
  }

  async delete(collection: string, id: string): Promise<void> {
    const key = `${collection}\u0000${id}`;
    const rev = this.#savedRevs.get(key);
    if (rev === undefined) throw new Error(`Baseline never saved ${collection}/${id}`);
    await this.#db(collection).destroy(id, rev);
    this.#savedRevs.delete(key);
  }

  /** One `_all_docs` page of `limit + 1` rows: the extra row's key starts the next page. */
  async listPage(collection: string, limit: number, cursor: string | null): Promise<ListPage> {
    const params: nano.DocumentListParams = { include_docs: true, limit: limit + 1 };
    if (cursor !== null) params.startkey = cursor;
    const { rows } = await this.#db(collection).list(params);
    const documents = rows.slice(0, limit).map((row) => row.doc as unknown as StoredDocument);
    return { documents, nextCursor: rows[limit]?.key ?? null };
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Array<StoredDocument | null>> {
    const { rows } = await this.#db(collection).fetch({ keys: [...ids] });
    return rows.map((row) =>
      'doc' in row && row.doc ? (row.doc as unknown as StoredDocument) : null,
    );
  }

  async saveMany(collection: string, items: readonly SaveManyItem[]): Promise<void> {
    const docs = items.map((item) => ({ ...(item.doc as JsonObject), _id: item.id }));
    const results = await this.#db(collection).bulk({ docs });
    for (const result of results) {
      if (result.error !== undefined || result.rev === undefined) {
        throw new Error(
          `Baseline bulk write of ${collection}/${result.id} failed: ${result.error}`,
        );
      }
    }
  }

  /** Drops the databases this baseline created. */
  async close(): Promise<void> {
    for (const collection of this.#databases.keys()) {
      await this.#server.db.destroy(`${this.#prefix}${collection}`);
    }
    this.#databases.clear();
  }

  #db(collection: string): nano.DocumentScope<CouchBody> {
    const db = this.#databases.get(collection);
    if (!db) throw new Error(`Baseline has no database for collection ${collection}`);
    return db;
  }
}

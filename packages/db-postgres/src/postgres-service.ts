import { connect } from 'node:net';
import {
  AbstractDatabaseService,
  type BackendFindPage,
  type BackendPage,
  type BatchSizes,
  type Capabilities,
  type DatabaseError,
  type DeleteOutcome,
  defineCapabilities,
  type ErrorTarget,
  type FindRequest,
  type JsonObject,
  type PreparedDocument,
  type PreparedWrite,
  type ServiceOptions,
  type StoredDocument,
  toStoredDocument,
} from '@gofannon/db-core';
import { idPosition, RETRY, retry, revisionToken } from '@gofannon/db-core/adapter';
import pg from 'pg';
import { PURGE_BATCH } from './expiry-statements';
import { findStatement } from './find-statement';
import { checkSchema, quoteIdentifier, tableNamer } from './identifiers';
import { createIndexStatement } from './index-statement';
import { jsonbArray } from './jsonb-array';
import { poolGauges } from './pool-gauges';
import {
  sqlState,
  translatePostgresError,
  UNDEFINED_COLUMN,
  UNDEFINED_TABLE,
  UNIQUE_VIOLATION,
} from './postgres-errors';
import { type TableStatements, tableStatements } from './table-statements';

/** Options of {@link PostgresDatabaseService}. */
export interface PostgresOptions extends ServiceOptions {
  /** Connection settings for pg's pool: a `connectionString` or host, user and so on. */
  connection: pg.PoolConfig;
  /** Schema of the tables (default `public`); created with the first table when missing. */
  schema?: string;
  /** Put before every table name. */
  tablePrefix?: string;
  /** Most connections the pool opens (default 10). */
  maxConnections?: number;
  /**
   * Name each statement, so every connection parses and plans it once (default true).
   * Turn off behind a pooler that hands a session's statements to other clients, such as
   * PgBouncer before 1.21 in transaction mode.
   */
  preparedStatements?: boolean;
}

interface Row {
  id: string;
  rev: string;
  doc: JsonObject;
}

/**
 * The contract on PostgreSQL: one table per collection, `(id text, rev text, doc jsonb,
 * expires_at bigint)`, created by the first write. Every write and delete is a single
 * statement whose WHERE clause carries its condition (the revision, and the expiry
 * against the service's clock), so PostgreSQL's row locks make it atomic.
 */
export class PostgresDatabaseService extends AbstractDatabaseService {
  readonly provider = 'postgres';
  readonly capabilities: Capabilities = defineCapabilities({
    maxDocumentBytes: 8 * 1024 * 1024,
    maxNestingDepth: 100,
    atomicBatches: false,
    // jsonb cannot hold U+0000.
    nulCharacters: false,
    expiry: true,
  });
  // jsonb caps one value (a whole batch, here) at 255 MiB.
  protected override readonly batchSizes: BatchSizes = {
    get: 1000,
    save: 500,
    delete: 1000,
    saveBytes: 64 * 1024 * 1024,
  };

  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #table: (collection: string) => string;
  readonly #statements = new Map<string, TableStatements>();
  /** Collections whose last chunk of plain upserts found none of its ids stored. */
  readonly #loading = new Set<string>();
  /** Statement text to its name on every connection; empty when statements are not named. */
  readonly #statementNames: Map<string, string> | undefined;
  /** The query statements named so far; see {@link MAX_NAMED_FINDS}. */
  readonly #namedFinds = new Set<string>();

  constructor(options: PostgresOptions) {
    super(options);
    this.#schema = checkSchema(options.schema ?? 'public');
    this.#table = tableNamer(options.tablePrefix ?? '');
    this.#statementNames = options.preparedStatements === false ? undefined : new Map();
    const max = options.maxConnections ?? 10;
    this.#pool = new pg.Pool({
      ...options.connection,
      max,
      connectionTimeoutMillis: this.timeoutMs,
      query_timeout: this.timeoutMs,
      statement_timeout: this.timeoutMs,
      application_name: 'gofannon-db',
    });
    // Named by where its tables live: two services on one database are told apart.
    this.reportGauges(
      poolGauges(this.#pool, max, [this.#schema, options.tablePrefix].filter(Boolean).join('.')),
    );
    // An idle connection that dies (a restarted server) must not crash the process; the
    // pool replaces it on the next query.
    this.#pool.on('error', () => {});
    // Nor one that dies while checked out (the server stopped between a call's statements,
    // or after a cancelled call gave it up): the call sees its own failure, and pg would
    // emit the connection's 'error' with no listener, which ends the process.
    this.#pool.on('connect', (client) => {
      client.on('error', () => {});
      // A named statement is planned once per connection only with a generic plan. Left to
      // itself PostgreSQL keeps custom plans for `find`'s statements, planning their long
      // key expressions again at every page: 0.38 ms a page instead of 0.23 (the bench's
      // --find walk). pg sends this before anything else on the connection; its failure
      // (never expected on PostgreSQL 12 and later) only leaves the server's choice.
      if (this.#statementNames) {
        client.query('SET plan_cache_mode = force_generic_plan').catch(() => {});
      }
    });
  }

  protected async _get(
    collection: string,
    id: string,
    signal: AbortSignal,
  ): Promise<StoredDocument | null> {
    const rows = await this.#read<Row>(collection, (sql) => sql.get, [id], signal);
    const row = rows[0];
    return row ? toStoredDocument(row.doc, row.id, row.rev) : null;
  }

  protected async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    signal: AbortSignal,
  ): Promise<string | null> {
    const expiresAt = doc.expiresAt ?? null;
    if (typeof ifRev === 'string') {
      if (!isRevision(ifRev)) return null;
      const rows = await this.#read<{ rev: string }>(
        collection,
        (sql) => sql.update,
        [id, doc.json, ifRev, suffix(), expiresAt, this.now()],
        signal,
      );
      return rows[0]?.rev ?? null;
    }
    const rows = await this.#write<{ rev: string }>(
      collection,
      (sql) => (ifRev === null ? sql.create : sql.upsert),
      ifRev === null
        ? [id, doc.json, suffix(), expiresAt, this.now()]
        : [id, doc.json, suffix(), expiresAt],
      signal,
    );
    return rows[0]?.rev ?? null;
  }

  protected async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal: AbortSignal,
  ): Promise<DeleteOutcome> {
    const now = this.now();
    if (ifRev === undefined) {
      // An expired row goes too, but it was not there for the caller.
      const rows = await this.#read<{ live: boolean }>(
        collection,
        (sql) => sql.delete,
        [id, now],
        signal,
      );
      return rows[0]?.live ? 'deleted' : 'missing';
    }
    if (!isRevision(ifRev)) {
      const present = await this.#read(collection, (sql) => sql.live, [id, now], signal);
      return present.length > 0 ? 'conflict' : 'missing';
    }
    const rows = await this.#read<{ deleted: boolean; present: boolean }>(
      collection,
      (sql) => sql.deleteIfRev,
      [id, ifRev, now],
      signal,
    );
    const outcome = rows[0];
    if (outcome?.deleted) return 'deleted';
    return outcome?.present ? 'conflict' : 'missing';
  }

  protected async _listPage(
    collection: string,
    limit: number,
    after: string | null,
    signal: AbortSignal,
  ): Promise<BackendPage> {
    if (after !== null) idPosition(after, collection);
    const rows = await this.#read<Row>(
      collection,
      (sql) => (after === null ? sql.firstPage : sql.nextPage),
      after === null ? [limit + 1] : [limit + 1, after],
      signal,
    );
    const page = rows.slice(0, limit);
    return {
      documents: page.map((row) => toStoredDocument(row.doc, row.id, row.rev)),
      next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** The whole page in one statement: conditions, cursor, order and limit in SQL. */
  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    const { text, values } = findStatement(this.#sql(collection).table, request);
    const rows = await bounded((signal) =>
      this.#read<Row>(collection, () => text, values, signal, this.#nameFind(text)),
    );
    return {
      documents: rows
        .slice(0, request.limit)
        .map((row) => toStoredDocument(row.doc, row.id, row.rev)),
      more: rows.length > request.limit,
    };
  }

  /**
   * An expression index on the key columns `_find` writes for these fields. The table is
   * made first when missing, so that the index exists for every process from now on.
   */
  protected override async _ensureIndex(
    collection: string,
    fields: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    await this.#createTable(this.#sql(collection), signal);
    const create = createIndexStatement(
      this.#table(collection),
      this.#qualifiedTable(collection),
      fields,
    );
    try {
      await this.#run({ text: create }, signal);
    } catch (error) {
      // IF NOT EXISTS still races in the catalog: another process made it first.
      if (!['23505', '42P07'].includes(sqlState(error) ?? '')) throw error;
    }
  }

  protected override async _getMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<StoredDocument | null>> {
    // Core hands over each id once.
    const rows = await this.#read<Row>(collection, (sql) => sql.getMany, [ids], signal);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? toStoredDocument(row.doc, row.id, row.rev) : null;
    });
  }

  protected override async _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
    signal: AbortSignal,
  ): Promise<Array<string | null | DatabaseError>> {
    if (writes.every((write) => write.ifRev === undefined)) {
      return this.#upsertMany(collection, writes, signal);
    }
    const items = writes.map((write) => {
      const mode =
        write.ifRev === undefined ? 'upsert' : write.ifRev === null ? 'create' : 'update';
      // A string that is not one of our revisions matches nothing; it is not sent.
      const ifRev =
        typeof write.ifRev === 'string' && isRevision(write.ifRev)
          ? JSON.stringify(write.ifRev)
          : 'null';
      const expiresAt = write.doc.expiresAt ?? 'null';
      return `{"id":${JSON.stringify(write.id)},"mode":"${mode}","if_rev":${ifRev},"suffix":"${suffix()}","expires_at":${expiresAt},"doc":${write.doc.json}}`;
    });
    const rows = await this.#write<{ id: string; rev: string }>(
      collection,
      (sql) => sql.saveMany,
      [`[${items.join(',')}]`, this.now()],
      signal,
    );
    const revs = new Map(rows.map((row) => [row.id, row.rev]));
    return writes.map((write) => revs.get(write.id) ?? null);
  }

  /**
   * A chunk of plain upserts. Where the last such chunk of the collection found none of its
   * ids stored (a bulk load), a plain INSERT goes first: it skips the conflict checks of
   * `ON CONFLICT`, a good part of the server's work per row. If any id is stored after all,
   * that INSERT fails as a whole, changing nothing, and the upsert runs instead.
   */
  async #upsertMany(
    collection: string,
    writes: readonly PreparedWrite[],
    signal: AbortSignal,
  ): Promise<string[]> {
    const random = suffix().slice(0, 12);
    const values = [
      writes.map((write) => write.id),
      jsonbArray(writes.map((write) => write.doc)),
      random,
      // NULL rather than a list of NULLs when nothing expires, the common case.
      writes.some((write) => write.doc.expiresAt !== undefined)
        ? writes.map((write) => write.doc.expiresAt ?? null)
        : null,
    ];
    const newRevision = (i: number) => `1-${random}${(i + 1).toString(16).padStart(4, '0')}`;
    if (this.#loading.has(collection)) {
      try {
        await this.#write(collection, (sql) => sql.insertMany, values, signal);
        return writes.map((_, i) => newRevision(i));
      } catch (error) {
        if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      }
    }
    const stored = await this.#write<{ id: string; rev: string }>(
      collection,
      (sql) => sql.upsertMany,
      values,
      signal,
    );
    if (stored.length === 0) this.#loading.add(collection);
    else this.#loading.delete(collection);
    const revs = new Map(stored.map((row) => [row.id, row.rev]));
    return writes.map((write, i) => revs.get(write.id) ?? newRevision(i));
  }

  protected override async _deleteMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    const rows = await this.#read<{ id: string }>(
      collection,
      (sql) => sql.deleteMany,
      [ids, this.now()],
      signal,
    );
    const deleted = new Set(rows.map((row) => row.id));
    return ids.map((id) => (deleted.has(id) ? 'deleted' : 'missing'));
  }

  /**
   * Bounded batches along the expiry index, each one statement through `bounded`, until a
   * batch finds fewer than it may take. Expired rows it skipped were locked: by another
   * purge, which deletes them, or by a writer, which saves them again or leaves them to
   * the next purge.
   */
  protected override async _purgeExpired(
    collection: string,
    now: number,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<number> {
    let purged = 0;
    let batch: number;
    do {
      const rows = await bounded((signal) =>
        this.#read<{ purged: number }>(collection, (sql) => sql.purge, [now], signal),
      );
      batch = rows[0]?.purged ?? 0;
      purged += batch;
    } while (batch >= PURGE_BATCH);
    return purged;
  }

  protected async _ping(signal: AbortSignal): Promise<void> {
    await this.#run({ text: 'SELECT 1' }, signal);
  }

  protected override async _close(): Promise<void> {
    await this.#pool.end();
  }

  protected override _translateError(
    error: unknown,
    target: ErrorTarget,
  ): DatabaseError | undefined {
    return translatePostgresError(error, target);
  }

  /** Runs a statement that reads or changes existing rows; a missing table means no rows. */
  async #read<T>(
    collection: string,
    pick: (sql: TableStatements) => string,
    values: unknown[],
    signal: AbortSignal,
    prepared = true,
  ): Promise<T[]> {
    const sql = this.#sql(collection);
    try {
      return await this.#upToDate(sql, signal, () =>
        this.#query<T>(pick(sql), values, signal, prepared),
      );
    } catch (error) {
      if (sqlState(error) === UNDEFINED_TABLE) return [];
      throw error;
    }
  }

  /** Runs a statement that may insert rows, creating the table first when it is missing. */
  async #write<T>(
    collection: string,
    pick: (sql: TableStatements) => string,
    values: unknown[],
    signal: AbortSignal,
  ): Promise<T[]> {
    const sql = this.#sql(collection);
    const run = () => this.#upToDate(sql, signal, () => this.#query<T>(pick(sql), values, signal));
    try {
      return await run();
    } catch (error) {
      if (sqlState(error) !== UNDEFINED_TABLE) throw error;
    }
    await this.#createTable(sql, signal);
    return run();
  }

  /**
   * Runs `statement`, and when the table lacks the expiry column (an earlier version made
   * it), adds the column and its index and runs it again: old tables are brought up to date
   * by the first statement that needs it, with no look-up before every statement.
   */
  async #upToDate<T>(
    sql: TableStatements,
    signal: AbortSignal,
    statement: () => Promise<T>,
  ): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      if (sqlState(error) !== UNDEFINED_COLUMN) throw error;
    }
    await this.#addExpiry(sql, signal);
    return statement();
  }

  /**
   * ALTER TABLE ... ADD COLUMN IF NOT EXISTS, then the index. Processes doing it at once
   * queue on the table's lock and the later ones find it done; the index's IF NOT EXISTS
   * may still race in the catalog, which counts as done.
   */
  async #addExpiry(sql: TableStatements, signal: AbortSignal): Promise<void> {
    for (const text of sql.addExpiry) {
      try {
        await this.#run({ text }, signal);
      } catch (error) {
        if (!['23505', '42P07', '42701'].includes(sqlState(error) ?? '')) throw error;
      }
    }
  }

  /**
   * One statement, run again (by the service's retry policy) when PostgreSQL chose it as
   * the victim of a deadlock or a serialization failure: it then changed nothing, and
   * batches touching the same rows in another order can meet that way.
   */
  #query<T>(text: string, values: unknown[], signal: AbortSignal, prepared = true): Promise<T[]> {
    return retry({ signal, policy: this.retryPolicy }, async () => {
      try {
        return await this.#run<T>(prepared ? this.#named(text, values) : { text, values }, signal);
      } catch (error) {
        const state = sqlState(error);
        if (state === '40P01' || state === '40001') return RETRY;
        throw error;
      }
    });
  }

  /**
   * Runs one query on a connection of the pool under the call's signal. pg takes no
   * signal, so when it aborts, the server is asked to cancel the statement and the
   * connection is closed rather than given back: the pool never hands out a connection
   * that still has a statement running.
   */
  async #run<T>(query: pg.QueryConfig, signal: AbortSignal): Promise<T[]> {
    const client = await this.#acquire(signal);
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      cancelStatement(client, this.timeoutMs);
      client.release(new Error('the call was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return (await client.query(query)).rows as T[];
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!cancelled) client.release();
    }
  }

  /** A connection of the pool; when the signal aborts first, it goes back unused. */
  #acquire(signal: AbortSignal): Promise<pg.PoolClient> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pool.connect().then(
        (client) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) client.release();
          else resolve(client);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * The statement under its name, given on first use. A connection sends the text only the
   * first time it runs a name; PostgreSQL re-plans it by itself when its table is dropped
   * or re-created.
   */
  #named(text: string, values: unknown[]): pg.QueryConfig {
    if (!this.#statementNames) return { text, values };
    let name = this.#statementNames.get(text);
    if (name === undefined) {
      name = `gofannon_${this.#statementNames.size + 1}`;
      this.#statementNames.set(text, name);
    }
    return { name, text, values };
  }

  /** CREATE ... IF NOT EXISTS still races in the catalog; losing that race is fine. */
  async #createTable(sql: TableStatements, signal: AbortSignal): Promise<void> {
    for (const step of sql.createTable) {
      if (
        step.unless &&
        (await this.#query(step.unless.text, step.unless.values, signal)).length > 0
      )
        continue;
      try {
        await this.#run({ text: step.create }, signal);
      } catch (error) {
        const state = sqlState(error);
        // A table of an earlier version was there, without the column the index needs.
        if (state === UNDEFINED_COLUMN) await this.#addExpiry(sql, signal);
        // Another writer created it first (table, schema, or the table's row type).
        else if (!['23505', '42P06', '42P07', '42710'].includes(state ?? '')) throw error;
      }
    }
  }

  #sql(collection: string): TableStatements {
    let statements = this.#statements.get(collection);
    if (!statements) {
      statements = tableStatements(
        this.#qualifiedTable(collection),
        this.#table(collection),
        this.#schema === 'public'
          ? null
          : { quoted: quoteIdentifier(this.#schema), name: this.#schema },
      );
      this.#statements.set(collection, statements);
    }
    return statements;
  }

  /**
   * Whether a query's statement is named: the first {@link MAX_NAMED_FINDS} distinct ones
   * are, so an application's few query shapes are parsed and planned once per connection,
   * while one that makes endless shapes (`in` lists of every length over many fields)
   * does not make every connection keep a prepared statement for each of them.
   */
  #nameFind(text: string): boolean {
    if (this.#namedFinds.has(text)) return true;
    if (this.#namedFinds.size >= MAX_NAMED_FINDS) return false;
    this.#namedFinds.add(text);
    return true;
  }

  /** The collection's table, quoted and in its schema: the only text besides paths put into SQL. */
  #qualifiedTable(collection: string): string {
    return `${quoteIdentifier(this.#schema)}.${quoteIdentifier(this.#table(collection))}`;
  }
}

/** Most query statements one service names (the rest run unnamed). */
const MAX_NAMED_FINDS = 200;

/** The revisions this adapter issues: "<writes>-<16 hex digits>". */
const REVISION = /^[1-9][0-9]{0,18}-[0-9a-f]{16}$/;

function isRevision(rev: string): boolean {
  return REVISION.test(rev);
}

/**
 * The random part of a new revision (16 hex digits); the number before it counts the
 * document's writes.
 */
function suffix(): string {
  return revisionToken(8);
}

/**
 * Asks the server to stop the statement running on `client`'s connection: PostgreSQL's
 * CancelRequest, sent on a connection of its own as the protocol wants. Best effort: when
 * the server cannot be reached, the closed connection ends the statement's session anyway.
 */
function cancelStatement(client: pg.PoolClient, timeoutMs: number): void {
  const { processID, secretKey, host, port } = client as unknown as {
    processID?: number | null;
    secretKey?: number | null;
    host?: string;
    port?: number;
  };
  if (typeof processID !== 'number' || typeof secretKey !== 'number' || port === undefined) return;
  const socket = host?.startsWith('/')
    ? connect(`${host}/.s.PGSQL.${port}`)
    : connect(port, host ?? 'localhost');
  socket.on('error', () => {});
  socket.setTimeout(timeoutMs, () => socket.destroy());
  socket.on('connect', () => {
    const request = Buffer.alloc(16);
    request.writeInt32BE(16, 0);
    request.writeInt32BE(80877102, 4);
    request.writeInt32BE(processID, 8);
    request.writeInt32BE(secretKey, 12);
    socket.end(request);
  });
}

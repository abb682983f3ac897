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
  isDocumentId,
  type JsonObject,
  type PreparedDocument,
  type PreparedWrite,
  type ServiceOptions,
  type StoredDocument,
  toStoredDocument,
  UnavailableError,
} from '@gofannon/db-core';
import { idPosition, OneAtATime, RETRY, retry } from '@gofannon/db-core/adapter';
import { CouchClient, type CouchConnection } from './couch-client';
import { brokenConnection, CouchRefusal, couchStatus, translateCouchError } from './couch-errors';
import { databaseNamer } from './database-names';
import { fromCouchId, isInternalId, toCouchId } from './document-ids';
import { purgeByView } from './expired-purge';
import { restoreExpiry, storedExpiry, toCouchJson } from './expiry-field';
import {
  EXPIRY_DESIGN_PATH,
  EXPIRY_VIEW_PATH,
  type ExpiryRow,
  expiryDesignDocument,
} from './expiry-view';
import { designId, designPath, FIND_VIEW, indexDesignDocument } from './find-view';
import { type KnownRevision, RevisionCache } from './revision-cache';
import { findInView, type ViewQuery, type ViewRow } from './view-find';
import { viewRanges } from './view-ranges';

/** Options of {@link CouchDbDatabaseService}. */
export interface CouchDbOptions extends ServiceOptions, CouchConnection {
  /** Put before every database name, so several applications can share one server. */
  databasePrefix?: string;
}

/**
 * CouchDB's default `max_document_size` is 8 000 000 bytes. CouchDB counts the body without
 * `_id` and `_rev`, by an estimate (`couch_ejson_size`) that is never above the length of
 * the JSON text core measures: it counts a string's raw bytes (JSON escapes make ours
 * longer) and a number's digits at most as JavaScript writes them. So every document core
 * accepts fits, one byte more is refused by core, and a server set lower answers 413.
 */
const MAX_DOCUMENT_BYTES = 8_000_000;

/**
 * CouchDB does not keep subnormal doubles (absolute values below 2^-1022): `5e-324` comes
 * back as `0` and `3e-322` as `2.96e-322`. Every normal double round-trips exactly.
 */
const SMALLEST_NORMAL_DOUBLE = 2.2250738585072014e-308;

/**
 * CouchDB answers a write into a missing database before reading its body and then closes
 * the connection. A small body is still read and the client gets the 404; a larger one meets
 * a reset, and the 404 can be lost with it. Bodies above this size go only to a database
 * the service knows exists.
 */
const EARLY_CLOSE_BYTES = 64 * 1024;

/**
 * Rows of the expiry view a purge reads, and tombstones it sends, per request: 1,000
 * deletes are about 100 kB of `_bulk_docs`, which CouchDB answers well inside a deadline.
 */
const PURGE_BATCH = 1000;

interface CouchDoc {
  _id: string;
  _rev: string;
  [key: string]: unknown;
}

interface AllDocsRow {
  id?: string;
  key: string;
  value?: { rev: string; deleted?: boolean };
  doc?: CouchDoc | null;
  error?: string;
}

interface BulkResult {
  id: string;
  ok?: boolean;
  rev?: string;
  error?: string;
  reason?: string;
}

/**
 * The contract on Apache CouchDB 3: one database per collection, created by the first
 * write; document ids as given (reserved ones escaped, see `document-ids.ts`); revisions
 * are CouchDB's own `_rev`.
 */
export class CouchDbDatabaseService extends AbstractDatabaseService {
  readonly provider = 'couchdb';
  readonly capabilities: Capabilities = defineCapabilities({
    maxDocumentBytes: MAX_DOCUMENT_BYTES,
    maxNestingDepth: 100,
    atomicBatches: false,
    numberRange: { maxAbs: Number.MAX_VALUE, minAbs: SMALLEST_NORMAL_DOUBLE },
    expiry: true,
  });
  protected override readonly batchSizes: BatchSizes = { get: 1000, save: 200, delete: 500 };

  readonly #client: CouchClient;
  readonly #database: (collection: string) => string;
  readonly #revs = new RevisionCache(10_000);
  readonly #blindSaves = new OneAtATime<string>();
  /** Databases this service has seen answer a write or created: large writes go there directly. */
  readonly #existing = new Set<string>();
  /** See {@link CouchDbDatabaseService.#hasRawViews}. */
  #rawViews: boolean | undefined;
  /** Databases whose expiry view this service made or found: see `#withExpiryView`. */
  readonly #expiryViews = new Set<string>();

  constructor(options: CouchDbOptions) {
    super(options);
    this.#database = databaseNamer(options.databasePrefix ?? '');
    this.#client = new CouchClient(options);
  }

  protected async _get(
    collection: string,
    id: string,
    signal: AbortSignal,
  ): Promise<StoredDocument | null> {
    const db = this.#database(collection);
    try {
      const doc = await this.#client.request<CouchDoc>(
        { method: 'get', db, path: encodeURIComponent(toCouchId(id)) },
        signal,
      );
      return this.#toStored(db, doc);
    } catch (error) {
      if (couchStatus(error) === 404) return null;
      throw error;
    }
  }

  /**
   * One PUT with the revision the caller demands, or for a blind save the last one this
   * service saw (none for a document it never met). Only a blind save that lost to another
   * writer (another process: in this one they take turns) re-reads the revision and tries
   * again.
   */
  protected async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    signal: AbortSignal,
  ): Promise<string | null> {
    const db = this.#database(collection);
    const couchId = toCouchId(id);
    if (typeof ifRev === 'string' && !(await this.#mayHold(db, [couchId], [ifRev], signal))[0])
      return null;
    // Blind saves of one document take turns: each starts from the revision the one before
    // it made, so writers in this process never conflict with each other.
    const rev =
      ifRev !== undefined
        ? await this.#putOnce(db, couchId, doc, ifRev, { collection, id }, signal)
        : ((await this.#blindSaves.run(`${db}/${couchId}`, signal, () =>
            this.#putOnce(db, couchId, doc, undefined, { collection, id }, signal),
          )) as string);
    if (rev !== null && doc.expiresAt !== undefined) await this.#withExpiryView(db, signal);
    return rev;
  }

  /**
   * The PUT of `_save`: with the demanded revision (`null`: create), or for a blind save
   * (`ifRev` undefined) the last one this service saw, re-read after a conflict. A create
   * that meets a document reads it (the only extra request, and only then): when it has
   * expired, the create writes over it at its revision, so the new revision continues the
   * old one and CouchDB's MVCC still guards the write (a 409 now means another writer got
   * there first: the create goes round again and looks once more).
   */
  async #putOnce(
    db: string,
    couchId: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    target: ErrorTarget,
    signal: AbortSignal,
  ): Promise<string | null> {
    let rev = this.#startingRev(db, couchId, ifRev);
    let stale = false;
    return retry(this.#retrying(signal, target), async () => {
      if (stale) rev = await this.#currentRev(db, couchId, signal);
      stale = false;
      let outcome = await this.#put(db, couchId, doc, rev, signal);
      if (outcome === 'conflict' && ifRev === null) {
        const state = (await this.#currentStates(db, [couchId], signal)).get(couchId);
        if (state !== undefined && !this.#expired(state)) {
          this.#revs.forget(db, couchId);
          return null;
        }
        rev = state?.rev ?? null;
        outcome = await this.#put(db, couchId, doc, rev, signal);
        if (outcome === 'conflict') return RETRY;
      }
      if (outcome === 'no-database') {
        await this.#createDatabase(db, signal);
        return RETRY;
      }
      if (outcome !== 'conflict') {
        this.#revs.set(db, couchId, outcome, doc.expiresAt);
        return outcome;
      }
      this.#revs.forget(db, couchId);
      if (ifRev !== undefined) return null;
      stale = true;
      return RETRY;
    });
  }

  protected async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal: AbortSignal,
  ): Promise<DeleteOutcome> {
    const db = this.#database(collection);
    const couchId = toCouchId(id);
    // A revision seen alive goes straight to the DELETE; any other is read first, with its
    // expiry: an expired document is missing, and must not be deleted as if it were there.
    const known = this.#revs.get(db, couchId);
    let rev: string;
    if (known && !this.#expired(known) && (ifRev === undefined || known.rev === ifRev)) {
      rev = known.rev;
    } else {
      const state = (await this.#currentStates(db, [couchId], signal)).get(couchId);
      if (state === undefined || this.#expired(state)) return 'missing';
      if (ifRev !== undefined && state.rev !== ifRev) return 'conflict';
      rev = state.rev;
    }
    return retry(this.#retrying(signal, { collection, id }), async (attempt) => {
      if (attempt > 1) {
        const current = (await this.#currentStates(db, [couchId], signal)).get(couchId);
        if (current === undefined || this.#expired(current)) return 'missing';
        if (ifRev !== undefined) return 'conflict';
        rev = current.rev;
      }
      try {
        await this.#client.request(
          { method: 'delete', db, path: encodeURIComponent(couchId), qs: { rev } },
          signal,
        );
        this.#revs.forget(db, couchId);
        return 'deleted';
      } catch (error) {
        const status = couchStatus(error);
        // 400: a revision string CouchDB cannot parse matches nothing.
        if (status !== 409 && status !== 404 && !(status === 400 && ifRev !== undefined))
          throw error;
      }
      this.#revs.forget(db, couchId);
      return RETRY;
    });
  }

  /**
   * Pages through `_all_docs` by key. Design documents are skipped, and the walk goes on
   * until the page is full, so a page is short only at the end of the collection.
   */
  protected async _listPage(
    collection: string,
    limit: number,
    after: string | null,
    signal: AbortSignal,
  ): Promise<BackendPage> {
    const db = this.#database(collection);
    const documents: StoredDocument[] = [];
    // A position is a stored `_id` (the last a page read), so it is an id once unescaped.
    let position =
      after === null ? null : idPosition(after, collection, (p) => isDocumentId(fromCouchId(p)));
    let more = true;
    while (more && documents.length < limit) {
      const wanted = limit - documents.length;
      const qs: Record<string, unknown> = {
        include_docs: true,
        limit: wanted + (position === null ? 1 : 2),
      };
      if (position !== null) qs.startkey = position;
      const rows = await this.#allDocs(db, { method: 'get', qs }, signal);
      if (rows === null) return { documents: [], next: null };
      const fresh = position !== null && rows[0]?.key === position ? rows.slice(1) : rows;
      more = fresh.length > wanted;
      const taken = fresh.slice(0, wanted);
      for (const row of taken) {
        if (row.doc && !isInternalId(row.doc._id)) documents.push(this.#toStored(db, row.doc));
      }
      position = taken.at(-1)?.key ?? position;
    }
    return { documents, next: more ? position : null };
  }

  /**
   * A query an ensured index serves reads that index's view (see `find-view.ts`): one
   * request per page, several stretches of the view in one request when `in` asks for
   * several values. Anything else, and a view that went missing, is core's scan.
   */
  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
    callerSignal?: AbortSignal,
  ): Promise<BackendFindPage> {
    const { index } = request;
    const ranges = index && viewRanges({ ...request, index });
    const viewsWork = async () =>
      this.#rawViews ?? (await bounded((signal) => this.#hasRawViews(signal)));
    if (!index || !ranges || !(await viewsWork()))
      return super._find(collection, request, bounded, callerSignal);
    const db = this.#database(collection);
    const view = `${designPath(designId(index))}/_view/${FIND_VIEW}`;
    try {
      return await findInView<CouchDoc>(
        request,
        ranges,
        (queries) => bounded((signal) => this.#readViews(db, view, queries, signal)),
        (doc) => this.#toStored(db, doc),
      );
    } catch (error) {
      // The database or the design document was deleted behind the service's back.
      if (couchStatus(error) !== 404) throw error;
      return super._find(collection, request, bounded, callerSignal);
    }
  }

  /**
   * The design document of the index's view (created once: a 409 means another process
   * made the same one), then one read of the view, which makes CouchDB build it now
   * rather than on the first query. The database is created first when missing.
   */
  protected override async _ensureIndex(
    collection: string,
    fields: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    const db = this.#database(collection);
    if (!this.#existing.has(db)) await this.#createDatabase(db, signal);
    if (!(await this.#hasRawViews(signal))) return;
    const design = indexDesignDocument(fields);
    const path = designPath(designId(fields));
    try {
      await this.#client.request({ method: 'put', db, path, body: JSON.stringify(design) }, signal);
    } catch (error) {
      if (couchStatus(error) !== 409) throw error;
    }
    await this.#client.request(
      { method: 'post', db, path: `${path}/_view/${FIND_VIEW}`, body: '{"limit":0}' },
      signal,
    );
  }

  /**
   * Whether the server is Apache CouchDB, whose views take `"collation": "raw"`. A
   * CouchDB-compatible server that is not (PouchDB's express-pouchdb) collates every view
   * its own way: there, queries run core's scan and ensureIndex makes no view. Asked once
   * per service (concurrent first calls may each ask).
   */
  async #hasRawViews(signal: AbortSignal): Promise<boolean> {
    if (this.#rawViews === undefined) {
      const welcome = await this.#client.request<{ couchdb?: unknown }>(
        { method: 'get', path: '' },
        signal,
      );
      this.#rawViews = welcome.couchdb !== undefined;
    }
    return this.#rawViews;
  }

  /** Rows of several stretches of a view: one request, `/queries` when more than one. */
  async #readViews(
    db: string,
    view: string,
    queries: ViewQuery[],
    signal: AbortSignal,
  ): Promise<Array<Array<ViewRow<CouchDoc>>>> {
    type Rows = { rows: Array<ViewRow<CouchDoc>> };
    if (queries.length === 1) {
      const body = JSON.stringify(queries[0]);
      const result = await this.#client.request<Rows>(
        { method: 'post', db, path: view, body },
        signal,
      );
      return [result.rows];
    }
    const body = JSON.stringify({ queries });
    const result = await this.#client.request<{ results: Rows[] }>(
      { method: 'post', db, path: `${view}/queries`, body },
      signal,
    );
    return result.results.map((r) => r.rows);
  }

  protected override async _getMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<StoredDocument | null>> {
    const db = this.#database(collection);
    const rows = await this.#allDocs(
      db,
      {
        method: 'post',
        qs: { include_docs: true },
        body: JSON.stringify({ keys: ids.map(toCouchId) }),
      },
      signal,
    );
    if (rows === null) return ids.map(() => null);
    return rows.map((row) => (row.doc ? this.#toStored(db, row.doc) : null));
  }

  protected override async _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
    signal: AbortSignal,
  ): Promise<Array<string | null | DatabaseError>> {
    const db = this.#database(collection);
    const outcomes: Array<string | null | DatabaseError> = new Array(writes.length);
    let pending = writes.map((write, index) => {
      const couchId = toCouchId(write.id);
      return { ...write, index, couchId, rev: this.#startingRev(db, couchId, write.ifRev) };
    });
    const conditional = pending.filter((write) => typeof write.ifRev === 'string');
    if (conditional.length > 0) {
      const holds = await this.#mayHold(
        db,
        conditional.map((write) => write.couchId),
        conditional.map((write) => write.ifRev as string),
        signal,
      );
      const refused = new Set(conditional.filter((_, i) => !holds[i]));
      for (const write of refused) outcomes[write.index] = null;
      pending = pending.filter((write) => !refused.has(write));
    }
    if (pending.length === 0) return outcomes;
    let raced = false;
    let expiring = false;
    await retry(this.#retrying(signal, { collection }), async () => {
      if (raced) {
        // Blind writes that lost a race go again with the revision they lost to.
        const blind = pending.filter((write) => write.ifRev === undefined);
        const current = await this.#currentRevs(
          db,
          blind.map((write) => write.couchId),
          signal,
        );
        for (const write of blind) write.rev = current.get(write.couchId) ?? null;
      }
      let results: BulkResult[] | null;
      try {
        results = await this.#bulk(
          db,
          pending.map((write) => couchBody(write.couchId, write.doc, write.rev)),
          signal,
        );
      } catch (error) {
        // CouchDB refuses the whole request when one document is over its
        // max_document_size, naming that document: it alone is 413, the rest go again.
        const refused = tooLargeDocument(error, pending);
        if (refused === undefined) throw error;
        outcomes[refused.index] = this.asDatabaseError(error, { collection, id: refused.id });
        pending = pending.filter((write) => write !== refused);
        raced = false;
        return pending.length > 0 ? RETRY : undefined;
      }
      if (results === null) {
        await this.#createDatabase(db, signal);
        raced = false;
        return RETRY;
      }
      const lost: typeof pending = [];
      const occupied: typeof pending = [];
      pending.forEach((write, i) => {
        const result = results[i] as BulkResult;
        if (result.ok && result.rev) {
          this.#revs.set(db, write.couchId, result.rev, write.doc.expiresAt);
          outcomes[write.index] = result.rev;
          if (write.doc.expiresAt !== undefined) expiring = true;
          return;
        }
        this.#revs.forget(db, write.couchId);
        if (!isConflict(result))
          outcomes[write.index] = this.#itemError(result, { collection, id: write.id });
        else if (write.ifRev === undefined) lost.push(write);
        else if (write.ifRev === null) occupied.push(write);
        else outcomes[write.index] = null;
      });
      // Creates that met a document: they write over it at its revision if it has
      // expired (see `#putOnce`), and are refused if it has not.
      const states = await this.#currentStates(
        db,
        occupied.map((write) => write.couchId),
        signal,
      );
      for (const write of occupied) {
        const state = states.get(write.couchId);
        if (state !== undefined && !this.#expired(state)) outcomes[write.index] = null;
        else {
          write.rev = state?.rev ?? null;
          lost.push(write);
        }
      }
      pending = lost;
      raced = lost.length > 0;
      return raced ? RETRY : undefined;
    }).catch((error: unknown) => {
      // Out of attempts: only the writes still losing races fail.
      if (!(error instanceof ContentionError)) throw error;
      for (const write of pending)
        outcomes[write.index] = new ContentionError({ collection, id: write.id });
    });
    if (expiring) await this.#withExpiryView(db, signal);
    return outcomes;
  }

  protected override async _deleteMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    const db = this.#database(collection);
    const outcomes: Array<DeleteOutcome | DatabaseError> = new Array(ids.length);
    let pending = ids.map((id, index) => ({ id, index, couchId: toCouchId(id) }));
    await retry(this.#retrying(signal, { collection }), async () => {
      const states = await this.#currentStates(
        db,
        pending.map((item) => item.couchId),
        signal,
      );
      const present = pending.filter((item) => {
        const state = states.get(item.couchId);
        if (state !== undefined && !this.#expired(state)) return true;
        outcomes[item.index] = 'missing';
        return false;
      });
      const results =
        present.length === 0
          ? []
          : ((await this.#bulk(
              db,
              present.map((item) =>
                tombstone(item.couchId, (states.get(item.couchId) as KnownRevision).rev),
              ),
              signal,
            )) ?? []);
      const lost: typeof pending = [];
      present.forEach((item, i) => {
        const result = results[i];
        this.#revs.forget(db, item.couchId);
        if (result?.ok) outcomes[item.index] = 'deleted';
        else if (!result || isConflict(result)) lost.push(item);
        else outcomes[item.index] = this.#itemError(result, { collection, id: item.id });
      });
      pending = lost;
      return pending.length > 0 ? RETRY : undefined;
    }).catch((error: unknown) => {
      if (!(error instanceof ContentionError)) throw error;
      for (const item of pending)
        outcomes[item.index] = new ContentionError({ collection, id: item.id });
    });
    return outcomes;
  }

  protected async _ping(signal: AbortSignal): Promise<void> {
    await this.#client.request({ method: 'get', path: '_session' }, signal);
  }

  /**
   * Reads the expiry view up to `now` in batches and deletes each batch at the revisions
   * the view named, in one `_bulk_docs` each (see `expired-purge.ts`). The design
   * document is made here when it is missing. On a server without CouchDB's views (the
   * PouchDB stand-in), core's walk of the collection.
   */
  protected override async _purgeExpired(
    collection: string,
    now: number,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<number> {
    const views = this.#rawViews ?? (await bounded((signal) => this.#hasRawViews(signal)));
    if (!views) return super._purgeExpired(collection, now, bounded);
    const db = this.#database(collection);
    return purgeByView(
      now,
      PURGE_BATCH,
      (query) => bounded((signal) => this.#readExpired(db, query, signal)),
      (rows) => bounded((signal) => this.#deleteAtRevisions(db, rows, signal)),
    );
  }

  /** The purge's delete on a server without views: only at the revision seen expired. */
  protected override async _deleteExpired(
    collection: string,
    id: string,
    rev: string,
    signal: AbortSignal,
  ): Promise<boolean> {
    const db = this.#database(collection);
    const couchId = toCouchId(id);
    try {
      await this.#client.request(
        { method: 'delete', db, path: encodeURIComponent(couchId), qs: { rev } },
        signal,
      );
    } catch (error) {
      const status = couchStatus(error);
      if (status === 409 || status === 404) return false;
      throw error;
    } finally {
      this.#revs.forget(db, couchId);
    }
    return true;
  }

  /** Rows of the expiry view; none when the database does not exist. */
  async #readExpired(
    db: string,
    query: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ExpiryRow[]> {
    const read = async () => {
      const { rows } = await this.#client.request<{ rows: ExpiryRow[] }>(
        { method: 'post', db, path: EXPIRY_VIEW_PATH, body: JSON.stringify(query) },
        signal,
      );
      // It answered, so it exists: the large deletes that follow go to it directly.
      this.#existing.add(db);
      return rows;
    };
    try {
      return await read();
    } catch (error) {
      if (couchStatus(error) !== 404) throw error;
    }
    // The database or the design document is missing: the database stays missing.
    if (!(await this.#createExpiryView(db, signal))) return [];
    return read();
  }

  /** Tombstones at the rows' revisions; how many CouchDB took (the rest changed meanwhile). */
  async #deleteAtRevisions(db: string, rows: ExpiryRow[], signal: AbortSignal): Promise<number> {
    const results = await this.#bulk(
      db,
      rows.map((row) => tombstone(row.id, row.value)),
      signal,
    );
    let deleted = 0;
    rows.forEach((row, i) => {
      this.#revs.forget(db, row.id);
      const result = results?.[i];
      if (result?.ok) deleted += 1;
      else if (result && !isConflict(result)) throw this.#itemError(result, { id: row.id });
    });
    return deleted;
  }

  /**
   * After a write that stored an expiring document: makes the database's expiry view, once
   * per database and service. CouchDB then keeps the view up to date in the background
   * (its `ken` indexer), so a purge seldom waits for a view of the whole database. Its
   * failure fails nothing: the write is done, and the purge makes the view it needs.
   */
  async #withExpiryView(db: string, signal: AbortSignal): Promise<void> {
    if (this.#expiryViews.has(db)) return;
    try {
      if (await this.#hasRawViews(signal)) await this.#createExpiryView(db, signal);
    } catch (error) {
      if (signal.aborted) throw error;
    }
  }

  /** Puts the expiry design document; `false` when the database does not exist. */
  async #createExpiryView(db: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#client.request(
        {
          method: 'put',
          db,
          path: EXPIRY_DESIGN_PATH,
          body: JSON.stringify(expiryDesignDocument()),
        },
        signal,
      );
    } catch (error) {
      const status = couchStatus(error);
      if (status === 404) return false;
      // Another process (or an earlier call) made it.
      if (status !== 409) throw error;
    }
    this.#expiryViews.add(db);
    return true;
  }

  protected override async _close(): Promise<void> {
    this.#revs.clear();
    this.#existing.clear();
    this.#expiryViews.clear();
  }

  /** Whether a revision's document has expired by the service's clock. */
  #expired(revision: KnownRevision): boolean {
    return revision.expiresAt !== undefined && revision.expiresAt <= this.now();
  }

  /**
   * The revision a write starts from: the demanded one, the last one seen for a blind
   * save, and for a create the last one seen if that one had expired (writing over it
   * takes one request when it is still current; otherwise CouchDB's 409 sends the create
   * to read the document).
   */
  #startingRev(db: string, couchId: string, ifRev: string | null | undefined): string | null {
    if (typeof ifRev === 'string') return ifRev;
    const known = this.#revs.get(db, couchId);
    if (known === undefined) return null;
    if (ifRev === undefined) return known.rev;
    return this.#expired(known) ? known.rev : null;
  }

  /** Retries under the service's policy and the call's signal; out of attempts, 503. */
  #retrying(signal: AbortSignal, target: ErrorTarget) {
    return {
      signal,
      policy: this.retryPolicy,
      exhausted: () => new ContentionError(target),
    };
  }

  protected override _translateError(
    error: unknown,
    target: ErrorTarget,
  ): DatabaseError | undefined {
    return translateCouchError(error, target);
  }

  /** PUT one document: its new revision, `'conflict'`, or `'no-database'`. */
  async #put(
    db: string,
    couchId: string,
    doc: PreparedDocument,
    rev: string | null,
    signal: AbortSignal,
  ): Promise<string | 'conflict' | 'no-database'> {
    const body = couchBody(couchId, doc, rev);
    await this.#beforeWrite(db, body, signal);
    try {
      const result = await this.#client.request<{ rev: string }>(
        { method: 'put', db, path: encodeURIComponent(couchId), body },
        signal,
      );
      this.#existing.add(db);
      return result.rev;
    } catch (error) {
      const status =
        couchStatus(error) ?? (await this.#statusOfBrokenWrite(db, error, body, signal));
      if (status === 404) this.#existing.delete(db);
      if (status === 404) return rev ? 'conflict' : 'no-database';
      // 400: a revision string CouchDB cannot parse can match nothing stored.
      if (status === 409 || (status === 400 && rev !== null)) return 'conflict';
      throw error;
    }
  }

  /**
   * For each document, whether a write conditional on `revs[i]` may go to CouchDB. CouchDB
   * takes a write carrying the `_rev` of a document that does not exist under that id (a
   * revision of another id, say) as a new document whose history starts there; the
   * contract says 409. A revision this service last saw for the same id goes straight to
   * the write: it existed then, and if it changed or was deleted since, the revision is no
   * longer a leaf and CouchDB answers 409 itself. Any other revision is checked against the
   * current one first, in one request. A revision whose document has expired holds for
   * nothing: its expiry is known with it (a revision's body never changes).
   */
  async #mayHold(
    db: string,
    couchIds: readonly string[],
    revs: readonly string[],
    signal: AbortSignal,
  ): Promise<boolean[]> {
    const known = couchIds.map((couchId, i) => {
      const seen = this.#revs.get(db, couchId);
      return seen?.rev === revs[i] ? seen : undefined;
    });
    const unknown = couchIds.filter((_, i) => known[i] === undefined);
    const current = await this.#currentStates(db, unknown, signal);
    return couchIds.map((couchId, i) => {
      const state = known[i] ?? current.get(couchId);
      return state !== undefined && state.rev === revs[i] && !this.#expired(state);
    });
  }

  /** The current revision of a document, `null` when it (or its database) does not exist. */
  async #currentRev(db: string, couchId: string, signal: AbortSignal): Promise<string | null> {
    return (await this.#currentRevs(db, [couchId], signal)).get(couchId) ?? null;
  }

  /** Current revisions of live documents, in one request; missing ones are absent. */
  async #currentRevs(
    db: string,
    couchIds: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, string>> {
    const revs = new Map<string, string>();
    if (couchIds.length === 0) return revs;
    const rows = await this.#allDocs(
      db,
      { method: 'post', body: JSON.stringify({ keys: couchIds }) },
      signal,
    );
    for (const row of rows ?? []) {
      if (row.value && !row.value.deleted) revs.set(row.key, row.value.rev);
    }
    return revs;
  }

  /**
   * Current revisions of live documents with their expiry, in one request (`_all_docs`
   * with the documents: the expiry is in the body); missing ones are absent.
   */
  async #currentStates(
    db: string,
    couchIds: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, KnownRevision>> {
    const states = new Map<string, KnownRevision>();
    if (couchIds.length === 0) return states;
    const rows = await this.#allDocs(
      db,
      { method: 'post', qs: { include_docs: true }, body: JSON.stringify({ keys: couchIds }) },
      signal,
    );
    for (const row of rows ?? []) {
      if (!row.value || row.value.deleted || !row.doc) continue;
      const state = { rev: row.value.rev, expiresAt: storedExpiry(row.doc) };
      this.#revs.set(db, row.key, state.rev, state.expiresAt);
      states.set(row.key, state);
    }
    return states;
  }

  /** `_all_docs` rows, or `null` when the database does not exist. */
  async #allDocs(
    db: string,
    request: { method: 'get' | 'post'; qs?: Record<string, unknown>; body?: string },
    signal: AbortSignal,
  ): Promise<AllDocsRow[] | null> {
    try {
      const result = await this.#client.request<{ rows: AllDocsRow[] }>(
        { ...request, db, path: '_all_docs' },
        signal,
      );
      return result.rows;
    } catch (error) {
      if (couchStatus(error) === 404) return null;
      throw error;
    }
  }

  /** `_bulk_docs` results in request order, or `null` when the database does not exist. */
  async #bulk(
    db: string,
    docs: readonly string[],
    signal: AbortSignal,
  ): Promise<BulkResult[] | null> {
    const body = `{"docs":[${docs.join(',')}]}`;
    await this.#beforeWrite(db, body, signal);
    try {
      const results = await this.#client.request<BulkResult[]>(
        { method: 'post', db, path: '_bulk_docs', body },
        signal,
      );
      this.#existing.add(db);
      return results;
    } catch (error) {
      const status =
        couchStatus(error) ?? (await this.#statusOfBrokenWrite(db, error, body, signal));
      if (status !== 404) throw error;
      this.#existing.delete(db);
      return null;
    }
  }

  /** A large body goes only to a database known to exist: it is created first otherwise. */
  async #beforeWrite(db: string, body: string, signal: AbortSignal): Promise<void> {
    if (body.length > EARLY_CLOSE_BYTES && !this.#existing.has(db)) {
      await this.#createDatabase(db, signal);
    }
  }

  /**
   * Why the connection of a write broke before CouchDB's answer arrived. CouchDB answers a
   * write into a missing database, and one larger than its `max_http_request_size`, before
   * reading the body, then closes: the client sees a reset, not the answer. One small read
   * of the database tells which: 404 when it is missing (nothing was written; the caller
   * creates it and writes again), a 413 refusal when it exists and the body was cut off
   * while being sent. Otherwise, and when that read fails too, the original error stands.
   */
  async #statusOfBrokenWrite(
    db: string,
    error: unknown,
    body: string,
    signal: AbortSignal,
  ): Promise<number> {
    const broken = brokenConnection(error);
    if (broken === undefined) throw error;
    try {
      await this.#client.request({ method: 'get', db }, signal);
    } catch (probe) {
      if (couchStatus(probe) === 404) return 404;
      throw couchStatus(probe) === undefined ? error : probe;
    }
    if (broken === 'answering') throw error;
    throw new CouchRefusal(
      413,
      'too_large',
      `CouchDB closed the connection while a request of ${Buffer.byteLength(body)} bytes was being sent: larger than its max_http_request_size`,
    );
  }

  async #createDatabase(db: string, signal: AbortSignal): Promise<void> {
    try {
      await this.#client.request({ method: 'put', db }, signal);
    } catch (error) {
      // Another writer created it first: CouchDB says 412; some compatible servers say 409.
      // While several create it at once, CouchDB 3 may answer 500 "conflict" to some (its
      // shard map was written by another); the write that follows finds out which it is.
      const status = couchStatus(error);
      const racing = status === 500 && (error as { reason?: unknown }).reason === 'conflict';
      if (status !== 412 && status !== 409 && !racing) throw error;
      if (racing) return;
    }
    this.#existing.add(db);
  }

  /**
   * A CouchDB document as the contract returns it: CouchDB's own `_`-fields left out, the
   * stored expiry back as `_expiresAt` (see `expiry-field.ts`).
   */
  #toStored(db: string, doc: CouchDoc): StoredDocument {
    const { _id, _rev, ...body } = doc;
    let marked = false;
    for (const key of Object.keys(body)) {
      if (key.startsWith('_')) delete body[key];
      else if (key.startsWith('~')) marked = true;
    }
    const expiresAt = marked ? restoreExpiry(body) : undefined;
    this.#revs.set(db, _id, _rev, expiresAt);
    return toStoredDocument(body as JsonObject, fromCouchId(_id), _rev);
  }

  /** A failed item of `_bulk_docs`, mapped as the HTTP answer it stands for would be. */
  #itemError(result: BulkResult, target: ErrorTarget): DatabaseError {
    const statusCode =
      result.error === 'forbidden' ? 403 : result.error === 'unauthorized' ? 401 : 500;
    return this.asDatabaseError({ statusCode, error: result.error, reason: result.reason }, target);
  }
}

/**
 * The JSON text CouchDB stores: the body (its expiry under the adapter's own name) with
 * `_id` (for bulk requests) and `_rev` in front.
 */
function couchBody(
  couchId: string | null,
  doc: PreparedDocument,
  rev: string | null | undefined,
): string {
  const meta: string[] = [];
  if (couchId !== null) meta.push(`"_id":${JSON.stringify(couchId)}`);
  if (rev) meta.push(`"_rev":${JSON.stringify(rev)}`);
  const json = toCouchJson(doc);
  if (meta.length === 0) return json;
  const rest = json.slice(1, -1);
  return `{${meta.join(',')}${rest ? `,${rest}` : ''}}`;
}

/** The write a `_bulk_docs` 413 names (CouchDB puts the document's id in `reason`). */
function tooLargeDocument<W extends { couchId: string }>(
  error: unknown,
  writes: readonly W[],
): W | undefined {
  if (couchStatus(error) !== 413) return undefined;
  const { reason } = error as { reason?: unknown };
  return writes.find((write) => write.couchId === reason);
}

function isConflict(result: BulkResult): boolean {
  return result.error === 'conflict';
}

function tombstone(couchId: string, rev: string): string {
  return `{"_id":${JSON.stringify(couchId)},"_rev":${JSON.stringify(rev)},"_deleted":true}`;
}

/** Every attempt of a write lost a race with other writers. */
class ContentionError extends UnavailableError {
  constructor(target: ErrorTarget) {
    super(
      `Document ${target.collection}/${JSON.stringify(target.id)} kept changing under concurrent writers; try again`,
      target,
    );
  }
}

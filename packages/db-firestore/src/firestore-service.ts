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
  type PreparedDocument,
  type PreparedWrite,
  type ServiceOptions,
  type StoredDocument,
  TooLargeError,
  toStoredDocument,
  ValidationError,
} from '@gofannon/db-core';
import { idPosition, settleEach, untilAborted } from '@gofannon/db-core/adapter';
import {
  type BulkWriter,
  type CollectionReference,
  type DocumentReference,
  type DocumentSnapshot,
  FieldPath,
  Firestore,
  type QueryDocumentSnapshot,
  type Settings,
  type Timestamp,
} from '@google-cloud/firestore';
import { withCallSignal } from './call-signals';
import { clientSettings } from './client-settings';
import { checkCollectionPrefix } from './collection-names';
import { LowLevelCommits, type WholeWrite } from './commits';
import { fromDocumentId, isValidDocumentId, toDocumentId } from './document-ids';
import { documentSize, FIRESTORE_MAX_DOCUMENT_BYTES, mayBeTooLarge } from './document-size';
import {
  EXPIRES_FIELD,
  EXPIRES_MS_FIELD,
  expiryFields,
  expiryOf,
  isStorableExpiry,
  toExpiryField,
} from './expiry';
import { fromFirestoreFields, toFirestoreFields } from './field-values';
import { type FindSource, findPage } from './find/find-page';
import { isKeyScanRefusal, KeyScanRefused } from './find/key-scan-refusal';
import { GrpcCode, grpcCode, translateFirestoreError } from './firestore-errors';
import { type CompositeIndex, compositeIndexesFor } from './indexes/composite-indexes';
import { indexRequiredError } from './indexes/index-required';
import { queryIndex } from './indexes/query-index';
import { type Endpoint, endpointOf, probeEndpoint } from './reachability';
import { fromRevision, type Revision, toRevision, WRITE_TAG_FIELD, writeTag } from './revisions';
import { handleTerminatedPoolRefusals } from './terminated-client';

/** Options of {@link FirestoreDatabaseService}. */
export interface FirestoreOptions extends ServiceOptions {
  /** Settings of the Firestore client: projectId, databaseId, keyFilename, host, ssl ... */
  firestore?: Settings;
  /** Put before every collection name. */
  collectionPrefix?: string;
}

/** Fields as the adapter writes them: the encoded document and its write tag. */
type Fields = Record<string, unknown>;

/**
 * The contract on Cloud Firestore: one collection per collection, document id = id (encoded
 * where Firestore forbids it), fields = the document. The revision is the update time, and
 * the expiry of an expiring document (see `revisions.ts`); conditional writes and deletes
 * are Firestore preconditions on the update time, so the check and the change are one
 * atomic step on the server. Whether the document at a revision has expired, the revision
 * itself tells, so a save or delete at a revision writes without reading first.
 */
export class FirestoreDatabaseService extends AbstractDatabaseService {
  readonly provider = 'firestore';
  readonly capabilities: Capabilities = defineCapabilities({
    // 1 MiB less room for the document's name and the write tag. Firestore counts 8 bytes
    // per number, so a document full of small numbers can be refused (413) below this.
    maxDocumentBytes: FIRESTORE_MAX_DOCUMENT_BYTES - 4 * 1024,
    // Firestore's limit on maps and arrays inside each other.
    maxNestingDepth: 20,
    atomicBatches: false,
    // A Timestamp field (see `expiry.ts`), and in the revision, so that a write at a
    // revision needs no read; a plain delete learns it in its commit (`commits.ts`),
    // a create over an existing document reads it.
    expiry: true,
  });
  // Firestore takes 500 writes per commit and 10 MiB per request. Its encoding of a document
  // can be a few times its JSON (numbers), so a chunk ends at 1 MiB of JSON.
  protected override readonly batchSizes: BatchSizes = {
    get: 500,
    save: 500,
    delete: 500,
    saveBytes: 1024 * 1024,
  };

  readonly #firestore: Firestore;
  /** Blind writes and the delete without a revision: commits through the low-level client. */
  readonly #commits: LowLevelCommits;
  readonly #prefix: string;
  readonly #endpoint: Endpoint;
  /** How long a call may go unanswered before the endpoint is probed. */
  readonly #probeAfterMs: number;
  #probing: Promise<void> | undefined;
  /** The backend calls under way, which `_close` lets end before it ends the client. */
  readonly #running = new Set<Promise<unknown>>();
  /** The fields of every `ensureIndex` call, by Firestore collection: see {@link requiredIndexes}. */
  readonly #ensured = new Map<string, readonly string[]>();

  constructor(options: FirestoreOptions = {}) {
    super(options);
    this.#prefix = checkCollectionPrefix(options.collectionPrefix ?? '');
    const settings = options.firestore ?? {};
    const configured = clientSettings(settings, this.timeoutMs);
    this.#firestore = new Firestore(configured);
    this.#commits = new LowLevelCommits(configured, this.#firestore.databaseId);
    handleTerminatedPoolRefusals(this.#firestore);
    this.#endpoint = endpointOf(settings);
    this.#probeAfterMs = Math.min(PROBE_AFTER_MS, Math.ceil(this.timeoutMs / 4));
  }

  protected _get(
    collection: string,
    id: string,
    signal: AbortSignal,
  ): Promise<StoredDocument | null> {
    return this.#reachable(async () => toStored(await this.#ref(collection, id).get()), signal);
  }

  protected _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    signal: AbortSignal,
  ): Promise<string | null> {
    return this.#reachable(() => this.#save(collection, id, doc, ifRev), signal);
  }

  /** `_save`'s writes, for a caller already inside {@link #reachable}. */
  async #save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    const ref = this.#ref(collection, id);
    const fields = this.#fields(ref, doc, { collection, id });
    if (ifRev === undefined) return this.#write(ref, fields);
    if (ifRev === null) return this.#create(ref, fields, false);
    // The revision tells the document's expiry: one expired by the clock is no document,
    // so its revision is a conflict. Otherwise the update time is the precondition, and
    // a document changed, deleted or re-created since fails it.
    const rev = this.#liveRevision(ifRev);
    if (rev === undefined) return null;
    return this.#replace(ref, fields, rev.updateTime);
  }

  /**
   * What `rev` names when it is one of ours and says the document at that revision has not
   * expired by the service's clock; otherwise `undefined`.
   */
  #liveRevision(rev: string): Revision | undefined {
    const named = fromRevision(rev);
    if (named === undefined) return undefined;
    return this.#unexpired(named.expiresAt) ? named : undefined;
  }

  /**
   * Creates the document, or replaces one that has expired by the service's clock (at the
   * update time read, so that a write meanwhile wins); `null` when a live one is there.
   * The replacement's update time is later than the expired one's: a new revision.
   * `exists`: a create was already refused.
   */
  async #create(ref: DocumentReference, fields: Fields, exists: boolean): Promise<string | null> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
      if (!exists || attempt > 0) {
        const created = await expecting(GrpcCode.ALREADY_EXISTS, async () =>
          writtenRevision((await ref.create(fields)).writeTime, fields),
        );
        if (created !== null) return created;
      }
      const current = await ref.get();
      // Deleted since the create was refused: create again.
      if (!current.exists) continue;
      if (this.#live(current)) return null;
      const replaced = await this.#replace(ref, fields, current.updateTime as Timestamp);
      if (replaced !== null) return replaced;
    }
    // Written or deleted between each read and write: another writer keeps winning.
    return null;
  }

  /**
   * Replaces the whole document if it was last updated at `lastUpdateTime`; else (changed
   * since, or gone) `null`.
   */
  #replace(
    ref: DocumentReference,
    fields: Fields,
    lastUpdateTime: Timestamp,
  ): Promise<string | null> {
    return expecting(isGoneOrStale, () => this.#write(ref, fields, lastUpdateTime));
  }

  /**
   * Writes the whole document in one commit of the low-level client (over the one last
   * updated at `lastUpdateTime` when given); its new revision.
   */
  async #write(
    ref: DocumentReference,
    fields: Fields,
    lastUpdateTime?: Timestamp,
  ): Promise<string> {
    const [writeTime] = await this.#commits.setAll([{ ref, fields, lastUpdateTime }]);
    return writtenRevision(writeTime as Timestamp, fields);
  }

  /**
   * Deletes a live document, at the revision `ifRev` when one is given.
   *
   * Without a revision: one commit that deletes whatever is there and tells the expiry it
   * had (see `commits.ts`); an expired document is `'missing'`, and gone as well.
   *
   * At a revision that says the document has not expired, the delete goes at once with its
   * update time as precondition; only when that is refused is the document read, to tell
   * `'missing'` from `'conflict'`. Otherwise the document is read first (an expired one is
   * `'missing'`), then deleted at the update time read.
   */
  async #deleteOne(ref: DocumentReference, ifRev: string | undefined): Promise<DeleteOutcome> {
    if (ifRev === undefined) {
      const found = await this.#commits.delete(ref);
      if (found === 'missing') return 'missing';
      const { expiresAt } = found;
      return this.#unexpired(expiresAt) ? 'deleted' : 'missing';
    }
    const rev = this.#liveRevision(ifRev);
    if (rev !== undefined) {
      const lastUpdateTime = rev.updateTime;
      const deleted = await expecting(isGoneOrStale, () => ref.delete({ lastUpdateTime }));
      if (deleted !== null) return 'deleted';
    }
    // A revision that is not ours, an expired one (the expired document itself is
    // 'missing', a newer live one a conflict), or the delete at it was refused: look.
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
      const current = await ref.get();
      if (!this.#live(current)) return 'missing';
      if (storedRevision(current) !== ifRev) return 'conflict';
      const lastUpdateTime = current.updateTime;
      const deleted = await expecting(isGoneOrStale, () => ref.delete({ lastUpdateTime }));
      if (deleted !== null) return 'deleted';
    }
    // Changed between each read and delete: another writer keeps winning.
    return 'conflict';
  }

  /** Whether a snapshot is of a document that exists and has not expired by the clock. */
  #live(snapshot: DocumentSnapshot): snapshot is DocumentSnapshot & { updateTime: Timestamp } {
    if (!snapshot.exists || snapshot.updateTime === undefined) return false;
    return this.#unexpired(expiryOf(snapshot.get(EXPIRES_FIELD)));
  }

  /** Whether a document with this expiry (epoch ms; `undefined`: none) is live by the clock. */
  #unexpired(expiresAt: number | undefined): boolean {
    return expiresAt === undefined || expiresAt > this.now();
  }

  protected _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal: AbortSignal,
  ): Promise<DeleteOutcome> {
    return this.#reachable(() => this.#deleteOne(this.#ref(collection, id), ifRev), signal);
  }

  protected _listPage(
    collection: string,
    limit: number,
    after: string | null,
    signal: AbortSignal,
  ): Promise<BackendPage> {
    if (after !== null) idPosition(after, collection, isValidDocumentId);
    return this.#reachable(async () => {
      let query = this.#collection(collection)
        .orderBy(FieldPath.documentId())
        .limit(limit + 1);
      if (after !== null) query = query.startAfter(after);
      const { docs } = await query.get();
      const page = docs.slice(0, limit);
      return {
        documents: page.map((snapshot) => toStored(snapshot) as StoredDocument),
        next: docs.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    }, signal);
  }

  /**
   * A query page pushed to Firestore (see `find/find-page.ts`); a query with a condition
   * Firestore has no form for is answered by core's scan. A query the real service refuses
   * for want of a composite index is 400 `index_required`, naming the index.
   */
  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
    callerSignal?: AbortSignal,
  ): Promise<BackendFindPage> {
    const needed = queryIndex(`${this.#prefix}${collection}`, request);
    const source: FindSource = {
      collection: this.#collection(collection),
      run: (query) =>
        bounded((signal) =>
          this.#reachable(async () => {
            try {
              return (await query.get()).docs;
            } catch (error) {
              if (isKeyScanRefusal(error)) throw new KeyScanRefused(error);
              throw indexRequiredError(error, collection, needed) ?? error;
            }
          }, signal),
        ),
      getAll: (refs) =>
        bounded((signal) => this.#reachable(() => this.#firestore.getAll(...refs), signal)),
      toStored,
    };
    const scan = () => super._find(collection, request, bounded, callerSignal);
    try {
      return (await findPage(source, request)) ?? (await scan());
    } catch (error) {
      if (error instanceof KeyScanRefused) return scan();
      throw error;
    }
  }

  /**
   * The client library cannot create composite indexes: the index is recorded, and
   * {@link requiredIndexes} lists it for deployment (`firestore.indexes.json` or `gcloud`).
   */
  protected override async _ensureIndex(
    collection: string,
    fields: readonly string[],
  ): Promise<void> {
    const group = `${this.#prefix}${collection}`;
    this.#ensured.set(JSON.stringify([group, fields]), [group, ...fields]);
  }

  /**
   * The composite indexes that the queries of every `ensureIndex` call through this service
   * need on Firestore, for `firestoreIndexesFile` or `gcloudIndexCommands`.
   */
  requiredIndexes(): CompositeIndex[] {
    return [...this.#ensured.values()].flatMap(([group, ...fields]) =>
      compositeIndexesFor(group as string, fields),
    );
  }

  protected override _getMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<StoredDocument | null>> {
    return this.#reachable(async () => {
      const refs = ids.map((id) => this.#ref(collection, id));
      return (await this.#firestore.getAll(...refs)).map(toStored);
    }, signal);
  }

  protected override _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
    signal: AbortSignal,
  ): Promise<Array<string | null | DatabaseError>> {
    return this.#reachable(async () => {
      const outcomes: Array<Promise<string | null>> = [];
      const upserts: number[] = [];
      const upsertWrites: WholeWrite[] = [];
      let bulk: BulkWriter | undefined;
      for (const write of writes) {
        const ref = this.#ref(collection, write.id);
        let fields: Fields;
        try {
          fields = this.#fields(ref, write.doc, { collection, id: write.id });
        } catch (error) {
          outcomes.push(Promise.reject(error));
          continue;
        }
        if (write.ifRev === undefined) {
          // Upserts cannot fail one by one: one atomic commit carries them all.
          upserts.push(outcomes.length);
          upsertWrites.push({ ref, fields });
          outcomes.push(Promise.resolve(null));
        } else if (write.ifRev === null) {
          const created = expecting(GrpcCode.ALREADY_EXISTS, async () => {
            bulk ??= this.#bulkWriter();
            return writtenRevision((await bulk.create(ref, fields)).writeTime, fields);
          });
          // One there already may have expired: the single-document path looks.
          outcomes.push(
            created.then((rev) => (rev === null ? this.#create(ref, fields, true) : rev)),
          );
        } else {
          // Inside this call's own #reachable: one abort listener for the whole chunk.
          outcomes.push(this.#save(collection, write.id, write.doc, write.ifRev));
        }
      }
      if (upserts.length > 0) {
        const committed = this.#commits.setAll(upsertWrites);
        upserts.forEach((position, k) => {
          const { fields } = upsertWrites[k] as WholeWrite;
          outcomes[position] = committed.then((times) =>
            writtenRevision(times[k] as Timestamp, fields),
          );
        });
      }
      const settled = settleEach(
        writes,
        (_write, i) => outcomes[i] as Promise<string | null>,
        (error, write) => this.asDatabaseError(error, { collection, id: write.id }),
      );
      await bulk?.close();
      return settled;
    }, signal);
  }

  protected override _deleteMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    return this.#reachable(async () => {
      // One read of the chunk tells the live documents (an expired one is missing); each
      // is deleted at the update time read, and one changed meanwhile is looked at again.
      const refs = ids.map((id) => this.#ref(collection, id));
      const snapshots = await this.#firestore.getAll(...refs);
      const bulk = this.#bulkWriter();
      const settled = settleEach(
        ids,
        async (_id, i): Promise<DeleteOutcome> => {
          const ref = refs[i] as DocumentReference;
          const current = snapshots[i] as DocumentSnapshot;
          if (!this.#live(current)) return 'missing';
          const lastUpdateTime = current.updateTime;
          const deleted = await expecting(isGoneOrStale, () =>
            bulk.delete(ref, { lastUpdateTime }),
          );
          return deleted === null ? this.#deleteOne(ref, undefined) : 'deleted';
        },
        (error, id) => this.asDatabaseError(error, { collection, id }),
      );
      await bulk.close();
      return settled;
    }, signal);
  }

  /**
   * Pages of `<EXPIRES_FIELD> <= now` (Firestore's single-field index on it, the field read
   * alone), each document deleted at the update time the page read, so that one saved
   * again meanwhile stays and two purges delete each document once: a page in one commit
   * (500 writes, Firestore's limit), one by one when a precondition fails.
   */
  protected override async _purgeExpired(
    collection: string,
    now: number,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<number> {
    const query = this.#collection(collection)
      .where(EXPIRES_FIELD, '<=', toExpiryField(now))
      .orderBy(EXPIRES_FIELD)
      .select(EXPIRES_FIELD)
      .limit(PURGE_PAGE);
    let purged = 0;
    let after: QueryDocumentSnapshot | undefined;
    for (;;) {
      const page = after === undefined ? query : query.startAfter(after);
      const docs = await bounded((signal) =>
        this.#reachable(async () => (await page.get()).docs, signal),
      );
      if (docs.length > 0) {
        purged += await bounded((signal) => this.#reachable(() => this.#purge(docs), signal));
      }
      if (docs.length < PURGE_PAGE) return purged;
      after = docs.at(-1);
    }
  }

  /** Deletes each document at the update time read; how many were still that one. */
  async #purge(docs: readonly QueryDocumentSnapshot[]): Promise<number> {
    // Usually every document is still as the query read it: one atomic commit deletes the
    // page. When one precondition fails (saved again, deleted by another purge), nothing
    // was deleted, and each document is deleted on its own.
    const batch = this.#firestore.batch();
    for (const snapshot of docs)
      batch.delete(snapshot.ref, { lastUpdateTime: snapshot.updateTime });
    if ((await expecting(isGoneOrStale, () => batch.commit())) !== null) return docs.length;
    const bulk = this.#bulkWriter();
    const outcomes = Promise.allSettled(
      docs.map((snapshot) =>
        expecting(isGoneOrStale, () =>
          bulk.delete(snapshot.ref, { lastUpdateTime: snapshot.updateTime }),
        ),
      ),
    );
    await bulk.close();
    let deleted = 0;
    for (const outcome of await outcomes) {
      if (outcome.status === 'rejected') throw outcome.reason;
      if (outcome.value !== null) deleted += 1;
    }
    return deleted;
  }

  protected _ping(signal: AbortSignal): Promise<void> {
    // A read of a document that need not exist: the cheapest answer, and it creates nothing.
    return this.#reachable(async () => {
      await this.#firestore.doc(`${this.#prefix}_ping/_ping`).get();
    }, signal);
  }

  protected override async _close(): Promise<void> {
    const closing = new AbortController();
    const timer = setTimeout(() => closing.abort(), this.timeoutMs);
    timer.unref();
    const running = [...this.#running];
    try {
      return await this.#reachable(async () => {
        // The client's retry loop tries a failed read again after a pause; on a terminated
        // client that attempt rejects where nobody listens (the client drops the promise).
        // So the calls under way end first (their signals have stopped their requests).
        await untilAborted(Promise.allSettled(running), closing.signal).catch(() => {
          // Out of time: terminating stops whatever still runs.
        });
        await Promise.all([this.#firestore.terminate(), this.#commits.close()]);
      }, closing.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  protected override _translateError(
    error: unknown,
    target: ErrorTarget,
  ): DatabaseError | undefined {
    return translateFirestoreError(error, target);
  }

  /**
   * Runs one backend call. The client retries an unreachable backend for minutes, so when a
   * call has had no answer for a moment, a plain TCP connection to the endpoint tells whether
   * the backend is there at all; when it is not, the call fails now (503) rather than at the
   * deadline. The shared probe is made at most once at a time. No probe starts once the
   * call's signal has aborted.
   *
   * The Firestore client takes no signal: the work runs in {@link withCallSignal}, so that
   * when the signal aborts, the gRPC requests the work has under way are cancelled and the
   * client's retries of them are never sent (see `call-signals.ts`).
   */
  #reachable<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    let timer: NodeJS.Timeout | undefined;
    const stop = () => clearTimeout(timer);
    signal.addEventListener('abort', stop, { once: true });
    const unreachable = new Promise<never>((_, reject) => {
      timer = setTimeout(() => this.#probe().catch(reject), this.#probeAfterMs);
      timer.unref();
    });
    const running = withCallSignal(signal, work);
    this.#running.add(running);
    const forget = () => this.#running.delete(running);
    running.then(forget, forget);
    return Promise.race([running, unreachable]).finally(() => {
      stop();
      signal.removeEventListener('abort', stop);
    });
  }

  #probe(): Promise<void> {
    this.#probing ??= probeEndpoint(this.#endpoint, this.#probeAfterMs * 4).finally(() => {
      this.#probing = undefined;
    });
    return this.#probing;
  }

  #collection(collection: string): CollectionReference {
    return this.#firestore.collection(`${this.#prefix}${collection}`);
  }

  #ref(collection: string, id: string): DocumentReference {
    return this.#collection(collection).doc(toDocumentId(id));
  }

  /** The fields to store, refused with 413 when Firestore would count them over 1 MiB. */
  #fields(ref: DocumentReference, doc: PreparedDocument, target: ErrorTarget): Fields {
    // Encoded in place (the body is this write's own): once per write, never twice.
    const fields = toFirestoreFields(doc.body);
    fields[WRITE_TAG_FIELD] = writeTag();
    // The Timestamp in place of the body's ISO string: what a TTL policy and the purge go
    // by; and its copy in milliseconds, what a delete reads back (see `commits.ts`).
    if (doc.expiresAt !== undefined) {
      if (!isStorableExpiry(doc.expiresAt)) {
        throw new ValidationError(
          `Firestore stores expiry instants from year 1 to 9999; expiresAt ${new Date(doc.expiresAt).toISOString()} of ${target.collection}/${JSON.stringify(target.id)} is outside`,
          target,
        );
      }
      Object.assign(fields, expiryFields(doc.expiresAt));
    }
    // Counting walks the whole document: only one large enough to be over is counted.
    if (!mayBeTooLarge(doc.bytes, ref.parent.id, ref.id)) return fields;
    const size = documentSize(ref.parent.id, ref.id, fields);
    if (size > FIRESTORE_MAX_DOCUMENT_BYTES) {
      throw new TooLargeError(
        `Document ${target.collection}/${JSON.stringify(target.id)} takes ${size} bytes as Firestore counts them; its limit is ${FIRESTORE_MAX_DOCUMENT_BYTES}`,
        target,
      );
    }
    return fields;
  }

  /** Firestore's non-atomic batch writer, unthrottled: the caller's batch is already split. */
  #bulkWriter() {
    return this.#firestore.bulkWriter({ throttling: false });
  }
}

/** A call unanswered this long (or a quarter of the timeout) makes the adapter probe the endpoint. */
const PROBE_AFTER_MS = 500;

/** Documents a purge reads and deletes at a time. */
const PURGE_PAGE = 500;

/** Read-then-write rounds of one conditional write before another writer is let win. */
const WRITE_ATTEMPTS = 5;

/** The stored document of a snapshot, or null when it does not exist. */
function toStored(snapshot: DocumentSnapshot): StoredDocument | null {
  const data = snapshot.data();
  if (!data || !snapshot.updateTime) return null;
  const {
    [WRITE_TAG_FIELD]: _tag,
    [EXPIRES_FIELD]: expiry,
    [EXPIRES_MS_FIELD]: _expiryMs,
    ...fields
  } = data;
  // The rest is a copy of its own: decoded in place, no second copy.
  const body = fromFirestoreFields(fields);
  // Shown as core writes it into a body: ISO-8601 UTC, last. A value there other than a
  // Timestamp is no expiry (this adapter never writes one) and is left out like the tag.
  const expiresAt = expiryOf(expiry);
  if (expiresAt !== undefined) body._expiresAt = new Date(expiresAt).toISOString();
  const rev = toRevision(snapshot.updateTime, expiresAt);
  return toStoredDocument(body, fromDocumentId(snapshot.id), rev);
}

/**
 * The revision of a document a write of `fields` made at `writeTime`: the same string a
 * read of it gives ({@link toStored}, {@link storedRevision}), the expiry taken from the
 * very `Timestamp` written.
 */
function writtenRevision(writeTime: Timestamp, fields: Fields): string {
  return toRevision(writeTime, expiryOf(fields[EXPIRES_FIELD]));
}

/** The revision of a stored document, as {@link toStored} gives it. */
function storedRevision(snapshot: DocumentSnapshot & { updateTime: Timestamp }): string {
  return toRevision(snapshot.updateTime, expiryOf(snapshot.get(EXPIRES_FIELD)));
}

/**
 * Whether a write under an update-time precondition was refused because the precondition
 * does not hold: FAILED_PRECONDITION, or the emulator's INVALID_ARGUMENT "Invalid base
 * version, it is greater than the stored version" for a revision newer than the
 * document's (another document's, say).
 */
function isStale(error: unknown): boolean {
  const code = grpcCode(error);
  if (code === GrpcCode.FAILED_PRECONDITION) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return (
    code === GrpcCode.INVALID_ARGUMENT &&
    typeof message === 'string' &&
    /invalid base version/i.test(message)
  );
}

/** Whether a delete at an update time found the document gone or changed. */
function isGoneOrStale(error: unknown): boolean {
  return grpcCode(error) === GrpcCode.NOT_FOUND || isStale(error);
}

/**
 * Runs `work`; resolves `null` when it fails the way the caller expects: with the gRPC
 * `code` given, or as the `refused` predicate says.
 */
async function expecting<T>(
  refused: number | ((error: unknown) => boolean),
  work: () => Promise<T>,
): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (typeof refused === 'number' ? grpcCode(error) === refused : refused(error)) return null;
    throw error;
  }
}

import type { JsonObject, ListPage, SaveManyItem, StoredDocument } from '@gofannon/db-core';
import {
  type CollectionReference,
  type DocumentSnapshot,
  FieldPath,
  type Firestore,
  Timestamp,
} from '@google-cloud/firestore';
import type { BenchTarget } from './bench-target';

/** Firestore's limit on writes in one commit. */
const MAX_BATCH_WRITES = 500;

/**
 * Firestore done by hand with the raw `@google-cloud/firestore` client, the way its
 * documentation shows: one collection per collection (prefix + name), documents stored as
 * given, the update time as the revision. No validation, no id or value encoding, no size
 * check, no timeouts, no error mapping.
 *
 * - `get`: `doc.get()`; `save`: `doc.set()`; `delete`: `doc.delete()`
 * - `saveIfRev`: one batch commit of an `update` with a `lastUpdateTime` precondition and
 *   a `set` of the whole document (Firestore's `set` takes no precondition)
 * - `listPage`: `orderBy(documentId()).startAfter(cursor).limit(n + 1)`
 * - `getMany`: `firestore.getAll()`; `saveMany`: batched `set`s, 500 per commit
 */
export class FirestoreBaseline implements BenchTarget {
  readonly #firestore: Firestore;
  readonly #prefix: string;

  constructor(firestore: Firestore, prefix: string) {
    this.#firestore = firestore;
    this.#prefix = prefix;
  }

  async get(collection: string, id: string): Promise<StoredDocument> {
    const doc = stored(await this.#collection(collection).doc(id).get());
    if (!doc) throw new Error(`Baseline has no ${collection}/${id}`);
    return doc;
  }

  async save(collection: string, id: string, doc: JsonObject): Promise<string> {
    return revision((await this.#collection(collection).doc(id).set(doc)).writeTime);
  }

  async saveIfRev(collection: string, id: string, doc: JsonObject, rev: string): Promise<string> {
    const ref = this.#collection(collection).doc(id);
    const [seconds = '0', nanos = '0'] = rev.split('.');
    const lastUpdateTime = new Timestamp(Number(seconds), Number(nanos));
    const batch = this.#firestore.batch();
    batch.update(ref, { touched: true }, { lastUpdateTime });
    batch.set(ref, doc);
    const [, replaced] = await batch.commit();
    if (!replaced) throw new Error(`Baseline update of ${collection}/${id} wrote nothing`);
    return revision(replaced.writeTime);
  }

  async delete(collection: string, id: string): Promise<void> {
    await this.#collection(collection).doc(id).delete();
  }

  async listPage(collection: string, limit: number, cursor: string | null): Promise<ListPage> {
    let query = this.#collection(collection)
      .orderBy(FieldPath.documentId())
      .limit(limit + 1);
    if (cursor !== null) query = query.startAfter(cursor);
    const { docs } = await query.get();
    const page = docs.slice(0, limit);
    return {
      documents: page.map((snapshot) => stored(snapshot) as StoredDocument),
      nextCursor: docs.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Array<StoredDocument | null>> {
    const refs = ids.map((id) => this.#collection(collection).doc(id));
    return (await this.#firestore.getAll(...refs)).map(stored);
  }

  async saveMany(collection: string, items: readonly SaveManyItem[]): Promise<void> {
    for (let start = 0; start < items.length; start += MAX_BATCH_WRITES) {
      const batch = this.#firestore.batch();
      for (const item of items.slice(start, start + MAX_BATCH_WRITES)) {
        batch.set(this.#collection(collection).doc(item.id), item.doc as JsonObject);
      }
      await batch.commit();
    }
  }

  async close(): Promise<void> {
    await this.#firestore.terminate();
  }

  #collection(collection: string): CollectionReference {
    return this.#firestore.collection(`${this.#prefix}${collection}`);
  }
}

function revision(time: Timestamp): string {
  return `${time.seconds}.${String(time.nanoseconds).padStart(9, '0')}`;
}

function stored(snapshot: DocumentSnapshot): StoredDocument | null {
  const data = snapshot.data();
  if (!data || !snapshot.updateTime) return null;
  return { ...data, _id: snapshot.id, _rev: revision(snapshot.updateTime) } as StoredDocument;
}

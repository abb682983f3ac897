import type { JsonObject, ListPage, SaveManyItem, StoredDocument } from '@gofannon/db-core';

/**
 * The operations the workload measures, implemented once over an adapter and once over a
 * provider's baseline, so the identical workload runs against both. Every method rejects
 * when the call did not do what the workload expects; the bench treats that as a bug.
 */
export interface BenchTarget {
  get(collection: string, id: string): Promise<StoredDocument>;
  /** Blind upsert; resolves with the new revision. */
  save(collection: string, id: string, doc: JsonObject): Promise<string>;
  /** Writes only over revision `rev`; resolves with the new revision. */
  saveIfRev(collection: string, id: string, doc: JsonObject, rev: string): Promise<string>;
  delete(collection: string, id: string): Promise<void>;
  listPage(collection: string, limit: number, cursor: string | null): Promise<ListPage>;
  getMany(collection: string, ids: readonly string[]): Promise<Array<StoredDocument | null>>;
  /** Blind upserts of every item; rejects when any item failed. */
  saveMany(collection: string, items: readonly SaveManyItem[]): Promise<void>;
  close(): Promise<void>;
}

import type { StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

/** How long a listAll snapshot is served again. */
const SNAPSHOT_MS = 1000;

// Breaks "read-after-write": listAll serves a snapshot up to a second old (as fresh copies).
class StaleListAll extends MemoryDatabaseService {
  readonly #snapshots = new Map<string, { at: number; documents: StoredDocument[] }>();

  override async listAll(collection: string): Promise<StoredDocument[]> {
    const snapshot = this.#snapshots.get(collection);
    if (snapshot && Date.now() - snapshot.at < SNAPSHOT_MS)
      return structuredClone(snapshot.documents);
    const documents = await super.listAll(collection);
    this.#snapshots.set(collection, { at: Date.now(), documents: structuredClone(documents) });
    return documents;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'listAll serves a stale snapshot',
  create: ({ clock }) => new StaleListAll({ clock }),
  caughtBy: ['CRUD > read after write: a saved document is in the next listAll and list'],
};

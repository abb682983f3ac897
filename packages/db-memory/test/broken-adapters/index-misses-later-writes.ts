import type { PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "ensureIndex never changes results": an index holds the documents there were
// when it was made, and writes after that pass it by.
class IndexMissesLaterWrites extends MemoryDatabaseService {
  protected override async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    const indexes = this.indexes.get(collection);
    this.indexes.delete(collection);
    try {
      return await super._save(collection, id, doc, ifRev);
    } finally {
      if (indexes) this.indexes.set(collection, indexes);
    }
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'an index misses writes made after it',
  create: ({ clock }) => new IndexMissesLaterWrites({ clock }),
  caughtBy: ['queries: indexes > an index follows every write after it is made'],
};

import type { PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import { newCollection } from '../../src/memory-service';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "no ABA": revisions count per document, so a re-created document starts again at 1.
class RevisionReused extends MemoryDatabaseService {
  protected override async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    let store = this.collections.get(collection);
    const existing = store?.entries.get(id);
    if (ifRev === null ? existing : ifRev !== undefined && existing?.rev !== ifRev) return null;
    if (!store) {
      store = newCollection();
      this.collections.set(collection, store);
    }
    const rev = String(existing ? Number(existing.rev) + 1 : 1);
    store.entries.set(id, { json: doc.json, rev });
    if (!existing) store.keys.add(id);
    return rev;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'revisions are reused after delete and re-create',
  create: ({ clock }) => new RevisionReused({ clock }),
  caughtBy: [
    'revisions > a revision is never reused across delete and re-create',
    'revisions > a revision from before delete and re-create does not match (no ABA)',
  ],
  saying:
    /revision "1" of "aba" came back from write 1 \(create\) and again from write 3 \(re-create after delete 1\)/,
};

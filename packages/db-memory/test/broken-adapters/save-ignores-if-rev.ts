import type { PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "ifRev must match the stored revision": save drops a revision string and upserts.
class SaveIgnoresIfRev extends MemoryDatabaseService {
  protected override _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    return super._save(collection, id, doc, ifRev === null ? null : undefined);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'save ignores ifRev',
  create: ({ clock }) => new SaveIgnoresIfRev({ clock }),
  caughtBy: [
    'revisions > a stale ifRev is 409 and changes nothing',
    'revisions > ifRev on a missing document is 409 and creates nothing',
    'revisions > a revision from before delete and re-create does not match (no ABA)',
    'revisions > revisions are per document',
    'concurrency > of concurrent saves with the same ifRev exactly one succeeds',
    'concurrency > a chain of read-modify-write with ifRev loses no update',
    'batches > saveMany reports conflicts and bad items on their own',
  ],
};

import type { PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "ifRev: null creates only": it is treated as a plain upsert.
class CreateOnlyIgnored extends MemoryDatabaseService {
  protected override _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    return super._save(collection, id, doc, ifRev === null ? undefined : ifRev);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'ifRev null is an upsert',
  create: ({ clock }) => new CreateOnlyIgnored({ clock }),
  caughtBy: [
    'revisions > ifRev null creates, and is 409 when the document exists',
    'concurrency > of concurrent creates exactly one succeeds, the rest are 409',
    'errors > a 409 names the collection and id',
    'batches > saveMany reports conflicts and bad items on their own',
  ],
};

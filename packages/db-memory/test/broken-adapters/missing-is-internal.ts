import { InternalError, type StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "get of a missing document is 404": it fails with 500 instead.
class MissingIsInternal extends MemoryDatabaseService {
  protected override async _get(collection: string, id: string): Promise<StoredDocument | null> {
    const doc = await super._get(collection, id);
    if (!doc) throw new InternalError('lookup came back empty', { collection, id });
    return doc;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a missing document is 500 instead of 404',
  create: ({ clock }) => new MissingIsInternal({ clock }),
  caughtBy: [
    'CRUD > get of a missing document is 404 with collection and id',
    'CRUD > get in an unknown collection is 404',
    'errors > errors are DatabaseErrors with status, code, message and JSON form',
  ],
};

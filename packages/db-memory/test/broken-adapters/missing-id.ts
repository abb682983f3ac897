import type { StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "_id comes back on every read": get returns the document without it.
class MissingId extends MemoryDatabaseService {
  protected override async _get(collection: string, id: string): Promise<StoredDocument | null> {
    const doc = await super._get(collection, id);
    if (doc) Reflect.deleteProperty(doc, '_id');
    return doc;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'get returns no _id',
  create: ({ clock }) => new MissingId({ clock }),
  caughtBy: [
    'CRUD > save then get returns the document with _id and _rev',
    'names and ids > hostile ids are stored and returned unchanged',
  ],
};

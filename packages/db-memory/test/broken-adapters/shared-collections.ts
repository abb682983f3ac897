import type {
  BackendPage,
  DeleteOutcome,
  PreparedDocument,
  StoredDocument,
} from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

/** The one store every collection name lands in. */
const SHARED = 'shared';

// Breaks "collections are isolated": every method ignores the collection name.
class SharedCollections extends MemoryDatabaseService {
  protected override _get(_collection: string, id: string): Promise<StoredDocument | null> {
    return super._get(SHARED, id);
  }

  protected override _save(
    _collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    return super._save(SHARED, id, doc, ifRev);
  }

  protected override _delete(
    _collection: string,
    id: string,
    ifRev: string | undefined,
  ): DeleteOutcome | Promise<DeleteOutcome> {
    return super._delete(SHARED, id, ifRev);
  }

  protected override _listPage(
    _collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    return super._listPage(SHARED, limit, after);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'all collections share one store',
  create: ({ clock }) => new SharedCollections({ clock }),
  caughtBy: [
    'CRUD > collections are isolated from each other',
    'CRUD > the six Gofannon collections work side by side',
  ],
};

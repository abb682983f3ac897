import type { StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "listAll returns every document, however many pages": it stops after one page.
class ListAllFirstPageOnly extends MemoryDatabaseService {
  override async listAll(collection: string): Promise<StoredDocument[]> {
    return (await this.list(collection, { limit: 1000 })).documents;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'listAll returns only its first page',
  create: ({ clock }) => new ListAllFirstPageOnly({ clock }),
  caughtBy: ['batches > batches larger than any backend batch size are split and all applied'],
};

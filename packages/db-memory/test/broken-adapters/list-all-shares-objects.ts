import type { StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "two calls never share objects": listAll hands out the same objects until a write.
class ListAllSharesObjects extends MemoryDatabaseService {
  readonly #cache = new Map<string, StoredDocument[]>();

  override async listAll(collection: string): Promise<StoredDocument[]> {
    const cached = this.#cache.get(collection) ?? (await super.listAll(collection));
    this.#cache.set(collection, cached);
    return [...cached];
  }

  override async save(...args: Parameters<MemoryDatabaseService['save']>) {
    this.#cache.delete(args[0]);
    return super.save(...args);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'listAll shares objects between calls',
  create: ({ clock }) => new ListAllSharesObjects({ clock }),
  caughtBy: ['values > mutating what any read returns changes nothing stored or returned later'],
};

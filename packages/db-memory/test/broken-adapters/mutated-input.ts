import type { SaveOptions, WriteResult } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "the caller's input is never mutated": save writes the new revision into it.
class MutatedInput extends MemoryDatabaseService {
  override async save(
    collection: string,
    id: string,
    doc: object,
    options?: SaveOptions,
  ): Promise<WriteResult> {
    const written = await super.save(collection, id, doc, options);
    Object.assign(doc, { _rev: written.rev });
    return written;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: "the caller's input is mutated",
  create: ({ clock }) => new MutatedInput({ clock }),
  caughtBy: ["values > the caller's input is never mutated, frozen or not"],
};

import type { SaveOptions, WriteResult } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "the caller's input is never mutated", quietly: it removes _id and _rev from the
// caller's object, which fails silently (no throw) when the object is frozen.
class StripsInputMeta extends MemoryDatabaseService {
  override async save(
    collection: string,
    id: string,
    doc: object,
    options?: SaveOptions,
  ): Promise<WriteResult> {
    const written = await super.save(collection, id, doc, options);
    Reflect.deleteProperty(doc, '_id');
    Reflect.deleteProperty(doc, '_rev');
    return written;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: "the caller's _id and _rev are removed from the input",
  create: ({ clock }) => new StripsInputMeta({ clock }),
  caughtBy: ["values > the caller's input is never mutated, frozen or not"],
};

import type { DatabaseService } from '@gofannon/db-core';
import type { BenchTarget } from './bench-target';

/** Runs the workload through an adapter's public `DatabaseService` interface. */
export function serviceTarget(service: DatabaseService): BenchTarget {
  return {
    get: (collection, id) => service.get(collection, id),
    save: async (collection, id, doc) => (await service.save(collection, id, doc)).rev,
    saveIfRev: async (collection, id, doc, rev) =>
      (await service.save(collection, id, doc, { ifRev: rev })).rev,
    delete: (collection, id) => service.delete(collection, id),
    listPage: (collection, limit, cursor) => service.list(collection, { limit, cursor }),
    getMany: (collection, ids) => service.getMany(collection, ids),
    saveMany: async (collection, items) => {
      for (const result of await service.saveMany(collection, items)) {
        if ('error' in result) throw result.error;
      }
    },
    close: () => service.close(),
  };
}

import type { BackendInspector } from '@gofannon/db-core/conformance';

/** Looks into a memory service's store (its protected `collections`) for the suite's read checks. */
export const memoryInspector: BackendInspector = {
  collectionExists: async (collection, service) =>
    (service as unknown as { collections: ReadonlyMap<string, unknown> }).collections.has(
      collection,
    ),
};

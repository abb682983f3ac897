import type { DatabaseService } from '@gofannon/db-core';
import type { BackendInspector } from '@gofannon/db-core/conformance';

/** An adapter that breaks one rule of the contract, and the cases that must notice. */
export interface BrokenAdapter {
  /** The rule it breaks; also the name it runs under. */
  rule: string;
  /** Makes a fresh broken service. */
  create: () => DatabaseService;
  /** Full case names ("group > case name") that must fail for this adapter. */
  caughtBy: string[];
  /** A view of the backend beneath one service made by `create`, for the read-side-effect checks. */
  inspector?: (service: DatabaseService) => BackendInspector;
}

/**
 * Looks into a memory service's store. `collections` is protected, so the inspector reads
 * it through a structural view rather than the class type.
 */
export function memoryInspector(service: DatabaseService): BackendInspector {
  const store = (service as unknown as { collections: ReadonlyMap<string, unknown> }).collections;
  return { collectionExists: async (collection) => store.has(collection) };
}

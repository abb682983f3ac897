import type { JsonObject } from '@gofannon/db-core';
import { SeededRandom } from './random';
import { COLLECTIONS, type CollectionName, SHAPES } from './shapes';

/** Distinct documents generated per collection; writes cycle through them. */
const POOL_SIZE = 200;

/** Everything the workload writes and reads, built once and shared read-only by all targets. */
export interface Dataset {
  /** Document bodies to write, per collection. */
  pool: Record<CollectionName, JsonObject[]>;
  /** Ids every target holds before measuring starts, per collection. */
  preloadedIds: Record<CollectionName, string[]>;
}

export function buildDataset(seed: number, docsPerCollection: number): Dataset {
  const random = new SeededRandom(seed);
  const pool = {} as Dataset['pool'];
  const preloadedIds = {} as Dataset['preloadedIds'];
  for (const collection of COLLECTIONS) {
    pool[collection] = Array.from({ length: POOL_SIZE }, () => SHAPES[collection](random));
    preloadedIds[collection] = Array.from({ length: docsPerCollection }, () => random.uuid());
  }
  return { pool, preloadedIds };
}

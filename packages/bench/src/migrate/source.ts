import type { DatabaseService, SaveManyItem } from '@gofannon/db-core';
import { createMemoryDatabaseService } from '@gofannon/db-memory';
import { SeededRandom } from '../workload/random';
import { COLLECTIONS, type CollectionName, SHAPES } from '../workload/shapes';

/** A memory source holding `documents` seed-shaped documents over the six collections. */
export interface FilledSource {
  source: DatabaseService;
  /** Documents per collection. */
  counts: Record<CollectionName, number>;
  /** Bytes of JSON of the documents' bodies per collection. */
  jsonBytes: Record<CollectionName, number>;
}

const FILL_BATCH = 1000;

/**
 * Fills a fresh memory service with `documents` documents spread evenly over the six
 * collections (the first `documents % 6` collections get one more), each made by its
 * collection's generator from `shapes.ts` and given a random uuid as id. Documents are
 * generated batch by batch, so only the source keeps them.
 */
export async function fillMemorySource(documents: number, seed: number): Promise<FilledSource> {
  const random = new SeededRandom(seed);
  const source = createMemoryDatabaseService();
  const counts = {} as FilledSource['counts'];
  const jsonBytes = {} as FilledSource['jsonBytes'];
  const perCollection = Math.floor(documents / COLLECTIONS.length);
  const extra = documents % COLLECTIONS.length;
  for (const [index, collection] of COLLECTIONS.entries()) {
    const count = perCollection + (index < extra ? 1 : 0);
    counts[collection] = count;
    jsonBytes[collection] = 0;
    for (let done = 0; done < count; done += FILL_BATCH) {
      const items: SaveManyItem[] = [];
      for (let i = done; i < Math.min(count, done + FILL_BATCH); i++) {
        const doc = SHAPES[collection](random);
        jsonBytes[collection] += Buffer.byteLength(JSON.stringify(doc));
        items.push({ id: random.uuid(), doc });
      }
      for (const result of await source.saveMany(collection, items)) {
        if ('error' in result) throw result.error;
      }
    }
  }
  return { source, counts, jsonBytes };
}

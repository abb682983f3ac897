import type { DatabaseService, SaveManyItem } from '@gofannon/db-core';
import { SeededRandom } from '../workload/random';
import { COLLECTIONS, type CollectionName, SHAPES } from '../workload/shapes';

/** What a filled source holds. */
export interface SourceContents {
  /** Documents per collection. */
  counts: Record<CollectionName, number>;
  /** Bytes of JSON of the documents' bodies per collection. */
  jsonBytes: Record<CollectionName, number>;
}

const FILL_BATCH = 1000;

/**
 * Fills `service` with `documents` documents spread evenly over the six collections (the
 * first `documents % 6` collections get one more), each made by its collection's generator
 * from `shapes.ts` and given a random uuid as id. Documents are generated batch by batch,
 * so only the service keeps them.
 */
export async function fillSource(
  service: DatabaseService,
  documents: number,
  seed: number,
): Promise<SourceContents> {
  const random = new SeededRandom(seed);
  const counts = {} as SourceContents['counts'];
  const jsonBytes = {} as SourceContents['jsonBytes'];
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
      for (const result of await service.saveMany(collection, items)) {
        if ('error' in result) throw result.error;
      }
    }
  }
  return { counts, jsonBytes };
}

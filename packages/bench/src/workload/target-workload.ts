import type { JsonObject, SaveManyItem } from '@gofannon/db-core';
import type { BenchTarget } from '../targets/bench-target';
import type { Dataset } from './dataset';
import { SeededRandom } from './random';
import { COLLECTIONS, type CollectionName } from './shapes';

/** One call of the workload, its arguments already chosen, ready to be timed. */
export type PreparedCall = () => Promise<void>;

export const PAGE_SIZE = 100;
export const GET_MANY_BATCH = 50;
export const SAVE_MANY_BATCH = 100;
const PRELOAD_BATCH = 500;
/**
 * Mixed into the seed so the workload's random stream is far from the dataset's, and ids
 * made by `save` never replay the preloaded ones.
 */
const WORKLOAD_STREAM = 0x5bd1e995;

/**
 * Drives one target through the workload. Every target gets its own instance with the
 * same seed, so as long as they are asked for the same calls in the same order they
 * receive identical arguments. Arguments are chosen when a call is prepared, outside the
 * timed region; the list walk's cursor is the one exception, as it comes from the last page.
 */
export class TargetWorkload {
  readonly #target: BenchTarget;
  readonly #dataset: Dataset;
  readonly #random: SeededRandom;
  /** Documents created by `save`, oldest first, which `delete` then removes. */
  readonly #savedIds: Array<{ collection: CollectionName; id: string }> = [];
  #deleted = 0;
  #updates = 0;
  #listedCollection = 0;
  #listCursor: string | null = null;

  constructor(target: BenchTarget, dataset: Dataset, seed: number) {
    this.#target = target;
    this.#dataset = dataset;
    this.#random = new SeededRandom(seed ^ WORKLOAD_STREAM);
  }

  async preload(): Promise<void> {
    for (const collection of COLLECTIONS) {
      const ids = this.#dataset.preloadedIds[collection];
      for (let start = 0; start < ids.length; start += PRELOAD_BATCH) {
        const items = ids
          .slice(start, start + PRELOAD_BATCH)
          .map((id, offset) => ({ id, doc: this.#poolDocument(collection, start + offset) }));
        await this.#target.saveMany(collection, items);
      }
    }
  }

  close(): Promise<void> {
    return this.#target.close();
  }

  get(): PreparedCall {
    const collection = this.#collection();
    const id = this.#preloadedId(collection);
    return async () => {
      await this.#target.get(collection, id);
    };
  }

  save(): PreparedCall {
    const collection = this.#collection();
    const id = this.#random.uuid();
    const doc = this.#randomPoolDocument(collection);
    this.#savedIds.push({ collection, id });
    return async () => {
      await this.#target.save(collection, id, doc);
    };
  }

  /** Read-modify-write: read the current revision, then save over exactly that revision. */
  update(): PreparedCall {
    const collection = this.#collection();
    const id = this.#preloadedId(collection);
    this.#updates += 1;
    const updatedAt = new Date(Date.UTC(2026, 0, 1) + this.#updates * 1000).toISOString();
    return async () => {
      const { _id, _rev, ...body } = await this.#target.get(collection, id);
      body.updated_at = updatedAt;
      await this.#target.saveIfRev(collection, id, body, _rev);
    };
  }

  delete(): PreparedCall {
    const saved = this.#savedIds[this.#deleted];
    if (!saved) throw new Error('delete ran more often than save: nothing left to delete');
    this.#deleted += 1;
    return () => this.#target.delete(saved.collection, saved.id);
  }

  /** The next page of a walk over every collection in turn, starting over at the end. */
  list(): PreparedCall {
    return async () => {
      const collection = COLLECTIONS[this.#listedCollection] as CollectionName;
      const page = await this.#target.listPage(collection, PAGE_SIZE, this.#listCursor);
      this.#listCursor = page.nextCursor;
      if (page.nextCursor === null) {
        this.#listedCollection = (this.#listedCollection + 1) % COLLECTIONS.length;
      }
    };
  }

  getMany(): PreparedCall {
    const collection = this.#collection();
    const ids = Array.from({ length: GET_MANY_BATCH }, () => this.#preloadedId(collection));
    return async () => {
      await this.#target.getMany(collection, ids);
    };
  }

  saveMany(): PreparedCall {
    const collection = this.#collection();
    const items: SaveManyItem[] = Array.from({ length: SAVE_MANY_BATCH }, () => ({
      id: this.#random.uuid(),
      doc: this.#randomPoolDocument(collection),
    }));
    return () => this.#target.saveMany(collection, items);
  }

  #collection(): CollectionName {
    return this.#random.pick(COLLECTIONS);
  }

  #preloadedId(collection: CollectionName): string {
    return this.#random.pick(this.#dataset.preloadedIds[collection]);
  }

  #poolDocument(collection: CollectionName, index: number): JsonObject {
    const pool = this.#dataset.pool[collection];
    return pool[index % pool.length] as JsonObject;
  }

  #randomPoolDocument(collection: CollectionName): JsonObject {
    return this.#random.pick(this.#dataset.pool[collection]);
  }
}

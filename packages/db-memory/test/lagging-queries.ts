import {
  type BackendFindPage,
  type Capabilities,
  defineCapabilities,
  type FindRequest,
} from '@gofannon/db-core';
import { MemoryDatabaseService } from '../src';

/**
 * A memory service whose queries lag like an eventually consistent index: every other
 * time the same page is asked for, it gets the answer it had the time before. Whether
 * that breaks the contract depends only on what it declares: `consistent: false` with a
 * bound allows it, `consistent: true` does not.
 */
export class LaggingQueries extends MemoryDatabaseService {
  override readonly capabilities: Capabilities;
  readonly #answers = new Map<string, { page: BackendFindPage; asked: number }>();

  constructor(declared: 'consistent' | 'eventually consistent') {
    super();
    this.capabilities = defineCapabilities({
      maxDocumentBytes: 8 * 1024 * 1024,
      maxNestingDepth: 100,
      atomicBatches: false,
      queries:
        declared === 'consistent'
          ? { consistent: true }
          : { consistent: false, convergenceMs: 10_000 },
    });
  }

  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    const key = JSON.stringify([collection, request]);
    const known = this.#answers.get(key);
    if (known && known.asked++ % 2 === 0) return structuredClone(known.page);
    const page = await super._find(collection, request, bounded);
    this.#answers.set(key, { page: structuredClone(page), asked: 0 });
    return page;
  }
}

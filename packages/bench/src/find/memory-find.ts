import { MemoryDatabaseService } from '@gofannon/db-memory';
import { findDocuments, findQuery, INDEX_FIELDS } from './dataset';
import type { FindBenchSettings, FindProviderResult, FindWalk } from './results';
import { type PageReader, perPage, timedWalk } from './walk';

/**
 * The query on the memory adapter, in two collections of the same documents: one with
 * the index, one without. Documents examined are the adapter's own `documentsRead`
 * counter (each stored document read): an unindexed page reads the collection, an
 * indexed one only its own documents.
 */
export async function measureMemory(settings: FindBenchSettings): Promise<FindProviderResult> {
  const service = new MemoryDatabaseService();
  try {
    for (const items of findDocuments(settings.documents, settings.seed)) {
      for (const collection of ['plain', 'indexed']) await service.saveMany(collection, items);
    }
    await service.ensureIndex('indexed', { fields: INDEX_FIELDS });
    const reader =
      (collection: string): PageReader =>
      async (cursor) =>
        (await service.find(collection, { ...findQuery(settings.pageSize), cursor })).nextCursor;
    const counted = async (collection: string, walks: number): Promise<FindWalk> => {
      // One walk first, unmeasured, so the JIT has seen the code path.
      await timedWalk(reader(collection), settings.pages);
      const before = service.documentsRead;
      const times: number[][] = [];
      for (let i = 0; i < walks; i++)
        times.push(await timedWalk(reader(collection), settings.pages));
      const pages = times.flat().length;
      return {
        name: collection === 'plain' ? 'unindexed' : 'indexed',
        pages: times[0]?.length ?? 0,
        ...perPage(times),
        examinedPerPage: (service.documentsRead - before) / pages,
      };
    };
    // Every unindexed page reads the whole collection: one walk says enough.
    const unindexed = await counted('plain', 1);
    const indexed = await counted('indexed', settings.rounds);
    return {
      provider: 'memory',
      backend: 'in-process memory adapter',
      examinedBy: "the adapter's documentsRead counter (stored documents read)",
      walks: [unindexed, indexed],
      speedup: unindexed.msPerPage / indexed.msPerPage,
    };
  } finally {
    await service.close();
  }
}

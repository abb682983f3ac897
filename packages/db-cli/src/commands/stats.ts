import type { DatabaseService } from '@gofannon/db-core';
import { resolveCollections } from '../collections';
import { countDocuments } from '../copy/pages';
import { scanExportFile } from '../format/scan';

/** Documents per collection, of a service or of an export file. */
export interface StatsSummary {
  command: 'stats';
  /** The provider, or the file. */
  source: string;
  collections: Array<{ collection: string; documents: number }>;
  total: number;
}

/** Options of {@link collectStats}. */
export interface StatsOptions {
  /** Collections to count; the six Gofannon collections when absent. */
  collections?: readonly string[];
  signal?: AbortSignal;
}

/** Counts the documents of each collection of a service by walking its pages. */
export async function collectStats(
  service: DatabaseService,
  options: StatsOptions = {},
): Promise<StatsSummary> {
  const collections = [];
  for (const collection of resolveCollections(options.collections)) {
    collections.push({
      collection,
      documents: await countDocuments(service, collection, options.signal),
    });
  }
  return total({ command: 'stats', source: service.provider, collections });
}

/**
 * Counts the documents of each collection in an export file, checking every line as
 * import does. Every collection in the file is listed unless `collections` is given.
 */
export async function fileStats(file: string, options: StatsOptions = {}): Promise<StatsSummary> {
  const only = options.collections ? new Set(resolveCollections(options.collections)) : undefined;
  const scan = await scanExportFile(file, {
    ...(only ? { collections: only } : {}),
    signal: options.signal,
  });
  const names = only ? [...only] : [...scan.collections.keys()];
  const collections = names.map((collection) => ({
    collection,
    documents: scan.collections.get(collection)?.documents ?? 0,
  }));
  return total({ command: 'stats', source: file, collections });
}

function total(summary: Omit<StatsSummary, 'total'>): StatsSummary {
  return { ...summary, total: summary.collections.reduce((sum, c) => sum + c.documents, 0) };
}

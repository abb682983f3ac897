import type { DatabaseService } from '@gofannon/db-core';
import { resolveCollections } from '../collections';
import { type DocumentBatch, writeBatches } from '../copy/copy-collection';
import { countDocuments, listPages } from '../copy/pages';
import { withFailureReport } from '../report/failures';
import { documentBody } from '../verify/canonical-json';
import { verifyTarget } from '../verify/compare';
import { ContentHashes } from '../verify/content-hash';
import {
  addOutcome,
  type CollectionResult,
  emptyResult,
  type RunOptions,
  type RunSummary,
  summarize,
  withDefaults,
} from './options';

/** Options of {@link migrate}. */
export interface MigrateOptions extends RunOptions {
  source: DatabaseService;
  target: DatabaseService;
}

/**
 * Copies collections straight from one service to another: source pages in, `saveMany`
 * batches out. Documents the target already holds with equal content are skipped, so a
 * second run writes nothing. Rejects with a `CommandError` when the source or the target
 * fails as a whole; batches completed before that stay written.
 */
export async function migrate(options: MigrateOptions): Promise<RunSummary> {
  const startedAt = Date.now();
  const { source, target } = options;
  const settings = withDefaults(options);
  const { progress, signal } = settings;
  const collections = resolveCollections(options.collections);
  const hashes = new ContentHashes();
  const results: CollectionResult[] = [];
  let interrupted = false;
  return withFailureReport(options.reportFile, async (failures) => {
    for (const collection of collections) {
      if (signal?.aborted) {
        interrupted = true;
        break;
      }
      const total = settings.countFirst ? await countDocuments(source, collection) : undefined;
      const result = emptyResult(collection);
      results.push(result);
      progress.begin(collection, total);
      const run = await writeBatches(
        sourceBatches(
          source,
          collection,
          settings.batchSize,
          result,
          settings.verify ? hashes : undefined,
        ),
        {
          target,
          failures,
          concurrency: settings.concurrency,
          dryRun: settings.dryRun,
          signal,
          onBatch: (outcome) => progress.update(collection, addOutcome(result, outcome)),
        },
      );
      progress.end(collection);
      if (run.interrupted) {
        interrupted = true;
        break;
      }
    }
    const verify =
      settings.verify && !interrupted
        ? await verifyTarget(
            target,
            collections.map((collection) => [collection, hashes.digest(collection)] as const),
          )
        : undefined;
    return summarize(
      {
        command: 'migrate',
        dryRun: settings.dryRun,
        interrupted,
        source: source.provider,
        target: target.provider,
        collections: results,
        ...(verify ? { verify } : {}),
      },
      failures,
      startedAt,
    );
  });
}

async function* sourceBatches(
  source: DatabaseService,
  collection: string,
  pageSize: number,
  result: CollectionResult,
  hashes: ContentHashes | undefined,
): AsyncGenerator<DocumentBatch> {
  for await (const page of listPages(source, collection, pageSize)) {
    const documents = page.map((doc) => ({ id: doc._id, data: documentBody(doc) }));
    if (hashes) for (const doc of documents) hashes.add(collection, doc.id, doc.data);
    result.read += documents.length;
    yield { collection, documents };
  }
}

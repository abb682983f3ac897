import type { DatabaseService } from '@gofannon/db-core';
import { resolveCollections } from '../collections';
import { type DocumentBatch, writeBatches } from '../copy/copy-collection';
import { readExportFile } from '../format/ndjson-reader';
import { scanExportFile } from '../format/scan';
import { withFailureReport } from '../report/failures';
import { verifyTarget } from '../verify/compare';
import {
  addOutcome,
  type CollectionResult,
  emptyResult,
  type RunOptions,
  type RunSummary,
  summarize,
  withDefaults,
} from './options';

/** Options of {@link importFile}. */
export interface ImportOptions extends RunOptions {
  target: DatabaseService;
  /** An export file; gunzipped when the name ends in `.gz`. */
  file: string;
}

/**
 * Imports an export file in two passes. The first reads the whole file and checks every
 * line (an `ExportFileError` naming the line rejects the call before anything is
 * written); the second writes it in batches, skipping documents the target already holds
 * with equal content. With `collections`, other collections in the file are ignored.
 */
export async function importFile(options: ImportOptions): Promise<RunSummary> {
  const startedAt = Date.now();
  const { target, file } = options;
  const settings = withDefaults(options);
  const { progress, signal } = settings;
  const only = options.collections ? new Set(resolveCollections(options.collections)) : undefined;

  progress.note(`Checking ${file} ...`);
  const scan = await scanExportFile(file, { ...(only ? { collections: only } : {}), signal });
  const results = new Map<string, CollectionResult>();
  for (const [collection, digest] of scan.collections) {
    results.set(collection, { ...emptyResult(collection), read: digest.documents });
    progress.begin(collection, digest.documents);
  }

  return withFailureReport(options.reportFile, async (failures) => {
    const run = await writeBatches(fileBatches(file, only, settings.batchSize), {
      target,
      failures,
      concurrency: settings.concurrency,
      dryRun: settings.dryRun,
      signal,
      onBatch: (outcome) => {
        const result = results.get(outcome.collection);
        if (result) progress.update(outcome.collection, addOutcome(result, outcome));
      },
    });
    for (const collection of results.keys()) progress.end(collection);

    const verify =
      settings.verify && !run.interrupted
        ? await verifyTarget(target, scan.collections)
        : undefined;
    return summarize(
      {
        command: 'import',
        dryRun: settings.dryRun,
        interrupted: run.interrupted,
        source: file,
        target: target.provider,
        collections: [...results.values()],
        ...(verify ? { verify } : {}),
      },
      failures,
      startedAt,
    );
  });
}

/**
 * Groups the file's documents into batches of up to `batchSize` per collection. One
 * pending batch per collection is held, so files whose collections are interleaved still
 * get full batches, and memory stays bounded.
 */
async function* fileBatches(
  file: string,
  only: ReadonlySet<string> | undefined,
  batchSize: number,
): AsyncGenerator<DocumentBatch> {
  const pending = new Map<string, DocumentBatch>();
  for await (const { lineNumber, record } of readExportFile(file)) {
    if (only && !only.has(record.collection)) continue;
    let batch = pending.get(record.collection);
    if (!batch) {
      batch = { collection: record.collection, documents: [] };
      pending.set(record.collection, batch);
    }
    batch.documents.push({ id: record.id, data: record.data, line: lineNumber });
    if (batch.documents.length >= batchSize) {
      pending.delete(record.collection);
      yield batch;
    }
  }
  yield* pending.values();
}

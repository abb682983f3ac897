import { type DatabaseService, isExpired } from '@gofannon/db-core';
import { resolveCollections } from '../collections';
import { type DocumentBatch, writeBatches } from '../copy/copy-collection';
import { LastCopies, type Repeats } from '../copy/last-copies';
import { readExportFile } from '../format/ndjson-reader';
import { scanExportFile } from '../format/scan';
import { withFailureReport } from '../report/failures';
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

/** Options of {@link importFile}. */
export interface ImportOptions extends RunOptions {
  target: DatabaseService;
  /** An export file; gunzipped when the name ends in `.gz`. */
  file: string;
}

/**
 * Imports an export file in two passes. The first reads the whole file and checks every
 * line (an `ExportFileError` naming the line rejects the call before anything is
 * written), and finds ids that appear more than once; the second writes it in batches,
 * only the last copy of a repeated id, skipping documents the target already holds with
 * equal content. With `collections`, other collections in the file are ignored.
 */
export async function importFile(options: ImportOptions): Promise<RunSummary> {
  const startedAt = Date.now();
  const { target, file } = options;
  const settings = withDefaults(options);
  const { progress, signal } = settings;
  const only = options.collections ? new Set(resolveCollections(options.collections)) : undefined;

  progress.note(`Checking ${file} ...`);
  const copies = new LastCopies();
  const scan = await scanExportFile(file, {
    ...(only ? { collections: only } : {}),
    signal,
    onDocument: (record, line) => copies.see(record.collection, record.id, line),
  });
  const repeats = copies.finish();
  const results = new Map<string, CollectionResult>();
  for (const [collection, digest] of scan.collections) {
    const duplicates = repeats.perCollection.get(collection) ?? 0;
    results.set(collection, { ...emptyResult(collection), read: digest.documents, duplicates });
    progress.begin(collection, digest.documents - duplicates);
  }
  // The scan's digests count every copy; what --verify expects is what is written.
  const expected = settings.verify ? new ContentHashes() : undefined;

  return withFailureReport(options.reportFile, async (failures) => {
    const batches = fileBatches(file, { only, repeats, expected }, settings.batchSize);
    const run = await writeBatches(batches, {
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
      expected && !run.interrupted
        ? await verifyTarget(
            target,
            [...results.keys()].map((collection) => [collection, expected.digest(collection)]),
          )
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

/** Which documents of the file {@link fileBatches} passes on. */
interface BatchFilter {
  /** Only these collections (all when absent). */
  only: ReadonlySet<string> | undefined;
  /** Earlier copies of repeated ids, left out. */
  repeats: Repeats;
  /** Adds every document passed on, for --verify. */
  expected: ContentHashes | undefined;
}

/**
 * Groups the file's documents into batches of up to `batchSize` per collection. One
 * pending batch per collection is held, so files whose collections are interleaved still
 * get full batches, and memory stays bounded. As an id occurs once among the documents
 * passed on, no batch holds it twice and no two batches race to write it.
 */
async function* fileBatches(
  file: string,
  { only, repeats, expected }: BatchFilter,
  batchSize: number,
): AsyncGenerator<DocumentBatch> {
  const pending = new Map<string, DocumentBatch>();
  for await (const { lineNumber, record } of readExportFile(file)) {
    if (only && !only.has(record.collection)) continue;
    if (repeats.superseded.has(lineNumber)) continue;
    // An expired document is left out when its batch is written (see storeBatch): --verify
    // expects it absent.
    if (!isExpired(record.data, Date.now()))
      expected?.add(record.collection, record.id, record.data);
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

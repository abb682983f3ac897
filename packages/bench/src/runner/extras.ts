import { performance } from 'node:perf_hooks';
import type { DatabaseService, JsonObject, SaveManyItem } from '@gofannon/db-core';
import type { WireCounter } from '../providers/registry';
import type { ListAllMeasurement, SaveManyVsSingle } from '../results';
import type { Dataset } from '../workload/dataset';
import { SeededRandom } from '../workload/random';
import { medianBy } from './stats';

/** Collections of their own, so the extras never touch the table's data. */
const SINGLE_COLLECTION = 'extra_single_saves';
const BULK_COLLECTION = 'extra_save_many';
const LIST_COLLECTION = 'extra_list_all';
/** The listAll collection is filled with saveMany calls of this many documents (untimed). */
const FILL_BATCH = 5_000;
/**
 * Untimed saveMany calls of the full size before the timed ones. A server with a JIT
 * reaches its batch speed only after tens of thousands of documents: DynamoDB Local took
 * 2.6, 2.0 and 1.5 s for its first three calls of 10,000 and 1.1 to 1.3 s for every later
 * one, while the 10,000 single saves reach their speed early in their own loop.
 */
const WARM_UP_CALLS = 3;
/**
 * Timed saveMany calls, each of fresh documents; their median is compared. One call lasts a
 * fraction of a second, so a single pause (a garbage collection, the server starting a new
 * WAL file) would decide a lone sample; the single saves are already 10,000 calls.
 */
const SAVE_MANY_RUNS = 5;
/** Mixed into the seed so these ids never meet the workload's. */
const EXTRAS_STREAM = 0x27d4eb2f;

/**
 * Documents for the extras: ticket-shaped (a few hundred bytes each, about the median of
 * the workload's shapes), with fresh ids.
 */
function items(dataset: Dataset, random: SeededRandom, count: number): SaveManyItem[] {
  const pool = dataset.pool.tickets;
  return Array.from({ length: count }, (_, index) => ({
    id: random.uuid(),
    doc: pool[index % pool.length] as JsonObject,
  }));
}

/**
 * {@link SAVE_MANY_RUNS} `saveMany` calls of `count` new documents each, then `count` single
 * `save` calls one by one; the median call is compared with the single saves.
 */
export async function measureSaveManyVsSingle(
  service: DatabaseService,
  wire: WireCounter,
  dataset: Dataset,
  seed: number,
  count: number,
  minSpeedup: number,
): Promise<SaveManyVsSingle> {
  const random = new SeededRandom(seed ^ EXTRAS_STREAM);
  const singles = items(dataset, random, count);
  // A first write creates a collection's database; keep that out of both timings. The
  // singles are timed over many calls, the bulk writes over few: untimed saveMany calls
  // first open the connections and warm the code (ours and the server's) that the first
  // timed calls would otherwise pay for alone.
  await service.save(SINGLE_COLLECTION, 'warm-up', {});
  for (let call = 0; call < WARM_UP_CALLS; call++) {
    await service.saveMany(BULK_COLLECTION, items(dataset, random, count));
  }

  const saveManyRuns: Array<{ ms: number; requests: number }> = [];
  for (let run = 0; run < SAVE_MANY_RUNS; run++) {
    const bulk = items(dataset, random, count);
    wire.reset();
    const start = performance.now();
    const results = await service.saveMany(BULK_COLLECTION, bulk);
    saveManyRuns.push({ ms: performance.now() - start, requests: wire.counts().requests });
    const failed = results.find((result) => 'error' in result);
    if (failed && 'error' in failed) throw failed.error;
  }
  const { ms: saveManyMs, requests: saveManyRequests } = medianBy(saveManyRuns, (run) => run.ms);

  wire.reset();
  const start = performance.now();
  for (const item of singles) await service.save(SINGLE_COLLECTION, item.id, item.doc);
  const singleSavesMs = performance.now() - start;
  const singleSaveRequests = wire.counts().requests;

  const speedup = singleSavesMs / saveManyMs;
  return {
    documents: count,
    saveManyMs,
    saveManyRunsMs: saveManyRuns.map((run) => run.ms),
    singleSavesMs,
    speedup,
    saveManyRequests,
    singleSaveRequests,
    minSpeedup,
    passed: speedup >= minSpeedup,
  };
}

/** Fills a collection with `count` documents (untimed), then times one `listAll` of it. */
export async function measureListAll(
  service: DatabaseService,
  wire: WireCounter,
  dataset: Dataset,
  seed: number,
  count: number,
): Promise<ListAllMeasurement> {
  const random = new SeededRandom((seed ^ EXTRAS_STREAM) + 1);
  for (let filled = 0; filled < count; filled += FILL_BATCH) {
    const batch = items(dataset, random, Math.min(FILL_BATCH, count - filled));
    for (const result of await service.saveMany(LIST_COLLECTION, batch)) {
      if ('error' in result) throw result.error;
    }
  }

  wire.reset();
  const start = performance.now();
  const documents = await service.listAll(LIST_COLLECTION);
  const ms = performance.now() - start;
  const counts = wire.counts();
  if (documents.length !== count) {
    throw new Error(`listAll returned ${documents.length} documents, expected ${count}`);
  }
  return {
    documents: count,
    ms,
    requests: counts.requests,
    responseBytes: counts.responseBytes,
    largestResponseBytes: counts.largestResponseBytes,
    largestResponseEncoding: counts.largestResponseEncoding,
  };
}

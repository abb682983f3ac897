import {
  type DatabaseService,
  isDatabaseError,
  isExpired,
  type JsonObject,
  type SaveManyItem,
} from '@gofannon/db-core';
import { describeFailure } from '../errors';
import type { DocumentFailure, FailureReport } from '../report/failures';
import { canonicalJson, documentBody } from '../verify/canonical-json';
import { saveItemOf } from './expiry';

/** A document to write: its id and content (no `_id`/`_rev`), and its file line if any. */
export interface DocumentInput {
  id: string;
  data: JsonObject;
  line?: number;
}

/** Documents of one collection written together with one `getMany` and one `saveMany`. */
export interface DocumentBatch {
  collection: string;
  documents: DocumentInput[];
}

/** What became of a batch. */
export interface BatchOutcome {
  collection: string;
  /** Saved (or, in a dry run, would be saved). */
  written: number;
  /** Already stored with equal content: skipped. */
  unchanged: number;
  /** Refused by the target; listed in the failure report. */
  failed: number;
  /** Had expired: not written (the document no longer exists). */
  expired: number;
}

/** Options of {@link writeBatches}. */
export interface WriteBatchesOptions {
  target: DatabaseService;
  failures: FailureReport;
  /** Batches in flight at once (at least 1). */
  concurrency: number;
  /** Compare only: nothing is saved. */
  dryRun?: boolean;
  /** When aborted, no new batch starts; batches in flight finish. */
  signal?: AbortSignal;
  /** Called as each batch completes. */
  onBatch?: (outcome: BatchOutcome) => void;
}

/**
 * Writes batches to the target with at most `concurrency` of them in flight, so memory
 * holds a bounded number of batches however large the input. Resolves with
 * `interrupted: true` when the signal stopped it. A batch that fails as a whole (the
 * target is down, say) rejects with a `CommandError` once the batches in flight have
 * settled; documents the target refuses one by one go to the failure report instead.
 */
export async function writeBatches(
  batches: AsyncIterable<DocumentBatch>,
  options: WriteBatchesOptions,
): Promise<{ interrupted: boolean }> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let interrupted = false;
  try {
    for await (const batch of batches) {
      if (failure) break;
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const task: Promise<void> = storeBatch(batch, options)
        .then((outcome) => options.onBatch?.(outcome))
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure) throw failure.error;
  return { interrupted: interrupted || (options.signal?.aborted ?? false) };
}

/**
 * Writes one batch idempotently: reads the ids on the target first and saves only the
 * documents whose content differs (compared as canonical JSON, `_id` and `_rev` aside),
 * so writing the same input twice saves nothing the second time.
 */
export async function storeBatch(
  batch: DocumentBatch,
  options: Pick<WriteBatchesOptions, 'target' | 'failures' | 'dryRun'>,
): Promise<BatchOutcome> {
  const { target, failures } = options;
  const { collection } = batch;
  const now = Date.now();
  const documents = batch.documents.filter((doc) => !isExpired(doc.data, now));
  const expired = batch.documents.length - documents.length;
  const what = `writing "${collection}" to the target (${target.provider})`;
  const stored = await describeFailure(what, collection, () =>
    target.getMany(
      collection,
      documents.map((doc) => doc.id),
    ),
  );
  const changed: DocumentInput[] = [];
  documents.forEach((doc, index) => {
    const current = stored[index];
    const same = current && canonicalJson(documentBody(current)) === canonicalJson(doc.data);
    if (!same) changed.push(doc);
  });
  const outcome: BatchOutcome = {
    collection,
    written: 0,
    unchanged: documents.length - changed.length,
    failed: 0,
    expired,
  };
  if (changed.length === 0) return outcome;
  if (options.dryRun) {
    outcome.written = changed.length;
    return outcome;
  }

  const items: SaveManyItem[] = changed.map((doc) => saveItemOf(doc.id, doc.data));
  const results = await describeFailure(what, collection, () => target.saveMany(collection, items));
  const refused: DocumentFailure[] = [];
  for (const [index, result] of results.entries()) {
    if (!('error' in result)) {
      outcome.written += 1;
      continue;
    }
    const { error } = result;
    // A target that is down fails the run: the document is fine, the target is not.
    if (!isDatabaseError(error) || error.status === 503) {
      await describeFailure(what, collection, () => Promise.reject(error));
    }
    const line = changed[index]?.line;
    refused.push({
      collection,
      id: result.id,
      ...(line === undefined ? {} : { line }),
      status: error.status,
      code: error.code,
      message: error.message,
    });
  }
  outcome.failed = refused.length;
  await failures.add(refused);
  return outcome;
}

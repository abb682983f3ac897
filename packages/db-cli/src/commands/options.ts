import { type ProgressReporter, silentProgress } from '../progress/reporter';
import type { CollectionDigest } from '../verify/content-hash';

/** Options every copying command (export, import, migrate) takes. */
export interface RunOptions {
  /** Collections to work on; the six Gofannon collections when absent. */
  collections?: readonly string[];
  /** Read and compare, write nothing. */
  dryRun?: boolean;
  /** After the run, compare the count and content hash of every collection on both sides. */
  verify?: boolean;
  /** Documents per page read and per batch written, 1 to 1000 (default 250). */
  batchSize?: number;
  /** Batches written at once (default 4). */
  concurrency?: number;
  /** Count the source first so progress can show a total and an ETA (costs one extra walk). */
  countFirst?: boolean;
  /** Where progress goes; nowhere by default. */
  progress?: ProgressReporter;
  /** Abort to stop after the batches in flight (the CLI wires Ctrl-C to it). */
  signal?: AbortSignal;
  /** The per-document failure report; `./gofannon-db-failures-<time>.ndjson` by default. */
  reportFile?: string;
}

/** What happened to one collection. */
export interface CollectionResult {
  collection: string;
  /** Documents read from the source or file. */
  read: number;
  /** Documents saved to the target or file (would be, in a dry run). */
  written: number;
  /** Documents skipped because the target already holds equal content. */
  unchanged: number;
  /** Documents the target refused (see the report file). */
  failed: number;
  /**
   * Import only: document lines not written because the same collection and id appear
   * again further on in the file (the last copy is the one imported).
   */
  duplicates?: number;
  /** Import and migrate: documents left out because they had expired (they no longer exist). */
  expired?: number;
}

/** The `--verify` outcome of one collection. */
export interface VerifyResult {
  collection: string;
  source: CollectionDigest;
  target: CollectionDigest;
  match: boolean;
}

/** The result of export, import and migrate; `--json` prints it. */
export interface RunSummary {
  command: 'export' | 'import' | 'migrate';
  /** No failure, not interrupted, and (with verify) every collection matched. */
  ok: boolean;
  dryRun: boolean;
  /** Stopped by the signal before the end. */
  interrupted: boolean;
  /** The provider read from, or the file. */
  source: string;
  /** The provider written to, or the file. */
  target: string;
  collections: CollectionResult[];
  /** Documents refused by the target. */
  failures: number;
  /** The failure report, when there were failures. */
  reportFile?: string;
  /** Present with `verify` (not after an interruption). */
  verify?: VerifyResult[];
  durationMs: number;
}

export const DEFAULT_BATCH_SIZE = 250;
export const DEFAULT_CONCURRENCY = 4;

/** The options with their defaults applied. */
export function withDefaults(options: RunOptions) {
  return {
    dryRun: options.dryRun ?? false,
    verify: options.verify ?? false,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    countFirst: options.countFirst ?? false,
    progress: options.progress ?? silentProgress,
    signal: options.signal,
  };
}

/** An empty result for a collection. */
export function emptyResult(collection: string): CollectionResult {
  return { collection, read: 0, written: 0, unchanged: 0, failed: 0 };
}

/** Sums up a run; `failures` is the run's failure report, when it keeps one. */
export function summarize(
  base: Omit<RunSummary, 'ok' | 'failures' | 'durationMs' | 'reportFile'>,
  failures: { count: number; writtenTo: string | undefined } | undefined,
  startedAt: number,
): RunSummary {
  const verified = base.verify?.every((result) => result.match) ?? true;
  const count = failures?.count ?? 0;
  return {
    ...base,
    ...(failures?.writtenTo ? { reportFile: failures.writtenTo } : {}),
    ok: count === 0 && !base.interrupted && verified,
    failures: count,
    durationMs: Date.now() - startedAt,
  };
}

/** Adds a batch's outcome to its collection's result; returns the documents handled so far. */
export function addOutcome(
  result: CollectionResult,
  outcome: { written: number; unchanged: number; failed: number; expired?: number },
): number {
  result.written += outcome.written;
  result.unchanged += outcome.unchanged;
  result.failed += outcome.failed;
  if (outcome.expired) result.expired = (result.expired ?? 0) + outcome.expired;
  return result.written + result.unchanged + result.failed + (result.expired ?? 0);
}

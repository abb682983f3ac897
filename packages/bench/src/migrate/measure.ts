import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HEAP_GROWING_PERCENT, migrate, type ProgressReporter } from '@gofannon/db-cli';
import { createDatabaseService } from '@gofannon/db-core';
import type { CollectionName } from '../workload/shapes';
import type { MigrateRun, MigrateTargetName } from './results';
import { type FilledSource, fillMemorySource } from './source';

/** One measurement, as the parent hands it to a fresh child process. */
export interface MeasureSpec {
  target: MigrateTargetName;
  documents: number;
  seed: number;
  batchSize: number;
  concurrency: number;
  sampleIntervalMs: number;
  /** The target's `DATABASE_PROVIDER` settings, under a prefix of this measurement's own. */
  targetEnv: Record<string, string>;
}

const MIB = 1024 * 1024;

/**
 * Fills a memory source with `spec.documents` documents, then runs db-cli's `migrate()`
 * (the function the `gofannon-db migrate` command calls) to a fresh target and measures its
 * wall time and the RSS it adds. Meant for a process of its own, started with
 * `--expose-gc`, so every size starts from the same state (see `child-main.ts`).
 */
export async function measureMigration(spec: MeasureSpec): Promise<MigrateRun> {
  const filled = await fillMemorySource(spec.documents, spec.seed);
  const target = await createDatabaseService({ env: spec.targetEnv });
  try {
    const gcForced = forceGc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage.rss();
    const sampler = new RssSampler(filled);
    sampler.start(spec.sampleIntervalMs);
    const started = performance.now();
    const summary = await migrate({
      source: filled.source,
      target,
      batchSize: spec.batchSize,
      concurrency: spec.concurrency,
      progress: sampler.reporter,
      // Only created when a document is refused, which fails the measurement anyway.
      reportFile: join(tmpdir(), `gofannon-bench-migrate-failures-${process.pid}.ndjson`),
    });
    const seconds = (performance.now() - started) / 1000;
    sampler.stop();
    forceGc();
    const retainedHeap = process.memoryUsage().heapUsed - heapBefore;

    const read = sum(summary.collections.map((result) => result.read));
    const written = sum(summary.collections.map((result) => result.written));
    if (!summary.ok || read !== spec.documents || written !== spec.documents) {
      throw new Error(
        `migrate to ${spec.target} did not copy every document: ok ${summary.ok}, ` +
          `read ${read}, written ${written} of ${spec.documents}, failures ${summary.failures}` +
          (summary.reportFile ? ` (see ${summary.reportFile})` : ''),
      );
    }
    const peakRss = Math.max(...sampler.samples.map((sample) => sample.rss));
    const peakHeap = Math.max(...sampler.samples.map((sample) => sample.heapUsed));
    // Only the memory target keeps a copy in this process. RSS cannot tell that copy apart:
    // it lands partly in heap pages the source's fill left committed and free, so RSS
    // growth minus the copy comes out near zero or below. The heap can: take the copy out
    // of the heap in use, in proportion to the share written when each sample was taken.
    const copy = spec.target === 'memory' ? Math.max(0, retainedHeap) : 0;
    const streamingPeak =
      spec.target === 'memory'
        ? Math.max(
            ...sampler.samples.map((sample) => sample.heapUsed - heapBefore - copy * sample.share),
          )
        : peakRss - rssBefore;
    return {
      target: spec.target,
      documents: spec.documents,
      seconds,
      docsPerSec: spec.documents / seconds,
      dataJsonMiB: sum(Object.values(filled.jsonBytes)) / MIB,
      rssBeforeMiB: rssBefore / MIB,
      heapBeforeMiB: heapBefore / MIB,
      peakRssMiB: peakRss / MIB,
      peakRssGrowthMiB: (peakRss - rssBefore) / MIB,
      peakHeapGrowthMiB: (peakHeap - heapBefore) / MIB,
      retainedHeapMiB: retainedHeap / MIB,
      streamingPeakMiB: streamingPeak / MIB,
      streamingBasis: spec.target === 'memory' ? 'heap' : 'rss',
      samples: sampler.samples.length,
      gcForced,
      heapGrowingPercent: HEAP_GROWING_PERCENT,
      read,
      written,
    };
  } finally {
    await target.close();
    await filled.source.close();
  }
}

/** Runs a full GC twice when `--expose-gc` made `gc` available; says whether it could. */
function forceGc(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

interface RssSample {
  rss: number;
  heapUsed: number;
  /** Share of the data's JSON bytes written to the target when the sample was taken, 0 to 1. */
  share: number;
}

/**
 * Samples the process's RSS on a timer and whenever migrate reports a completed batch
 * (through its progress reporter, as the CLI's progress bar is told). The timer alone
 * would miss a memory-to-memory run, whose calls resolve without ever yielding to timers.
 */
class RssSampler {
  readonly samples: RssSample[] = [];
  readonly reporter: ProgressReporter;
  #timer: NodeJS.Timeout | undefined;
  #writtenShare = 0;
  readonly #done = new Map<string, number>();

  constructor({ counts, jsonBytes }: FilledSource) {
    const totalBytes = sum(Object.values(jsonBytes)) || 1;
    this.reporter = {
      begin: () => this.sample(),
      update: (collection, done) => {
        const name = collection as CollectionName;
        const before = this.#done.get(collection) ?? 0;
        this.#done.set(collection, done);
        // Documents of one collection are about equally large; its bytes written so far
        // are its share of documents times its bytes.
        const perDoc = (jsonBytes[name] ?? 0) / Math.max(1, counts[name] ?? 1);
        this.#writtenShare += ((done - before) * perDoc) / totalBytes;
        this.sample();
      },
      end: () => this.sample(),
      note: () => {},
      close: () => {},
    };
  }

  start(intervalMs: number): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.samples.push({ rss, heapUsed, share: Math.min(1, this.#writtenShare) });
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

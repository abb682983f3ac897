import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HEAP_GROWING_PERCENT, migrate, type ProgressReporter } from '@gofannon/db-cli';
import { createDatabaseService } from '@gofannon/db-core';
import { type MemoryProcess, startMemoryProcess } from './memory-process';
import type { MigrateRun, MigrateTargetName } from './results';

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
 * Runs db-cli's `migrate()` (the function the `gofannon-db migrate` command calls) from a
 * memory source of `spec.documents` documents to a fresh target, and measures its wall time
 * and the memory it adds to this process. The source, and a memory target, are memory
 * adapters in processes of their own, as servers are: this process holds what a migration
 * between two servers holds. Meant for a process of its own, started with `--expose-gc`,
 * so every size starts from the same state (see `child-main.ts`).
 */
export async function measureMigration(spec: MeasureSpec): Promise<MigrateRun> {
  const source = await startMemoryProcess({ documents: spec.documents, seed: spec.seed });
  let memoryTarget: MemoryProcess | undefined;
  try {
    if (spec.target === 'memory') memoryTarget = await startMemoryProcess();
    const target = memoryTarget?.service ?? (await createDatabaseService({ env: spec.targetEnv }));
    try {
      return await measure(spec, source, target);
    } finally {
      await target.close();
    }
  } finally {
    await memoryTarget?.stop();
    await source.stop();
  }
}

async function measure(
  spec: MeasureSpec,
  { service: source, contents }: MemoryProcess,
  target: MemoryProcess['service'],
): Promise<MigrateRun> {
  if (!contents) throw new Error('The migrate source was not filled');
  const gcForced = forceGc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage.rss();
  const sampler = new MemorySampler();
  sampler.start(spec.sampleIntervalMs);
  const started = performance.now();
  const summary = await migrate({
    source,
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
  return {
    target: spec.target,
    documents: spec.documents,
    seconds,
    docsPerSec: spec.documents / seconds,
    dataJsonMiB: sum(Object.values(contents.jsonBytes)) / MIB,
    rssBeforeMiB: rssBefore / MIB,
    heapBeforeMiB: heapBefore / MIB,
    peakRssMiB: peakRss / MIB,
    peakRssGrowthMiB: (peakRss - rssBefore) / MIB,
    peakHeapGrowthMiB: (peakHeap - heapBefore) / MIB,
    retainedHeapMiB: retainedHeap / MIB,
    samples: sampler.samples.length,
    gcForced,
    heapGrowingPercent: HEAP_GROWING_PERCENT,
    read,
    written,
  };
}

/** Runs a full GC twice when `--expose-gc` made `gc` available; says whether it could. */
function forceGc(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

interface MemorySample {
  rss: number;
  heapUsed: number;
}

/**
 * Samples the process's RSS and heap on a timer and whenever migrate reports a completed
 * batch (through its progress reporter, as the CLI's progress bar is told).
 */
class MemorySampler {
  readonly samples: MemorySample[] = [];
  readonly reporter: ProgressReporter = {
    begin: () => this.sample(),
    update: () => this.sample(),
    end: () => this.sample(),
    note: () => {},
    close: () => {},
  };
  #timer: NodeJS.Timeout | undefined;

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
    this.samples.push({ rss, heapUsed });
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

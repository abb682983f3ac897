import type { MachineInfo } from '../report/machine';
/** The shape of a `pnpm bench --migrate` run's results, as printed and as written to JSON. */

/** Where a migration writes to: the memory adapter, or a server. */
export const MIGRATE_TARGET_NAMES = [
  'memory',
  'couchdb',
  'postgres',
  'dynamodb',
  'firestore',
] as const;
export type MigrateTargetName = (typeof MIGRATE_TARGET_NAMES)[number];

export interface MigrateBenchSettings {
  /** Targets measured, in this order. */
  targets: MigrateTargetName[];
  /** Source sizes (documents over all six collections) measured per target, ascending. */
  docs: Record<MigrateTargetName, number[]>;
  /** Seed of the document generator. */
  seed: number;
  /** db-cli's `batchSize` and `concurrency`: its defaults, as the CLI runs them. */
  batchSize: number;
  concurrency: number;
  /** Interval of the RSS sampler, in milliseconds (every completed batch is sampled too). */
  sampleIntervalMs: number;
  /** The largest size's peak RSS growth may be at most this many times the smallest size's. */
  maxPeakRatio: number;
  /** Runs of each size per target; the one with the median peak RSS growth is reported. */
  repeats: Record<MigrateTargetName, number>;
}

/**
 * One (target, size) of the run: the run with the median peak RSS growth, and the peaks
 * of all its runs.
 */
export interface MigrateMeasurement extends MigrateRun {
  /** `peakRssGrowthMiB` of every run of this (target, size), in the order they ran. */
  runPeaksMiB: number[];
}

/** One migration of `documents` documents from a fresh memory source to a fresh target. */
export interface MigrateRun {
  target: MigrateTargetName;
  documents: number;
  /** Wall time of the `migrate()` call alone (filling the source is not timed). */
  seconds: number;
  docsPerSec: number;
  /** Bytes of JSON of all documents' bodies (what the memory adapter keeps per document). */
  dataJsonMiB: number;
  /** RSS just before `migrate()` started, after a forced GC, source filled. */
  rssBeforeMiB: number;
  /** V8 heap in use just before `migrate()` started, after the GC (the source is elsewhere). */
  heapBeforeMiB: number;
  /** Highest RSS sampled during `migrate()`: the absolute peak of the process. */
  peakRssMiB: number;
  /** `peakRssMiB - rssBeforeMiB`: what the migration added at its peak; the judged number. */
  peakRssGrowthMiB: number;
  /** Highest heap in use sampled during `migrate()`, minus `heapBeforeMiB`: garbage included. */
  peakHeapGrowthMiB: number;
  /** Heap still used after the migration and a forced GC, minus before it. */
  retainedHeapMiB: number;
  /** RSS samples taken during the migration. */
  samples: number;
  /** Whether a GC could be forced (`--expose-gc`) before the baseline and after. */
  gcForced: boolean;
  /** V8's heap growth past live data the run allowed, as the gofannon-db command sets it. */
  heapGrowingPercent: number;
  /** Documents read and written, as db-cli's summary counted them. */
  read: number;
  written: number;
}

/** The peak comparison of one target's smallest and largest size. */
export interface PeakRatioCheck {
  target: MigrateTargetName;
  smallDocs: number;
  largeDocs: number;
  smallPeakMiB: number;
  largePeakMiB: number;
  /** `largePeakMiB / smallPeakMiB`, of `peakRssGrowthMiB`. */
  ratio: number;
  maxRatio: number;
  passed: boolean;
}

export interface MigrateBenchReport {
  kind: 'migrate';
  settings: MigrateBenchSettings;
  /** What each target wrote to, such as which server. */
  backends: Partial<Record<MigrateTargetName, string>>;
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  measurements: MigrateMeasurement[];
  checks: PeakRatioCheck[];
}

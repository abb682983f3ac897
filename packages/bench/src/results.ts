/** The shape of a bench run's results, as printed and as written to JSON. */

export const OPERATION_NAMES = [
  'get',
  'getMany',
  'list',
  'update',
  'save',
  'saveMany',
  'delete',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** How one target did on one operation. */
export interface TargetStats {
  calls: number;
  /** Calls per second of wall time spent calling (argument preparation excluded). */
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface OperationResult {
  operation: OperationName;
  /** Documents one call reads or writes (a page's worth for `list`). */
  docsPerCall: number;
  adapter: TargetStats;
  baseline: TargetStats;
  /** Adapter throughput divided by baseline throughput: 1 means as fast, 0.5 half as fast. */
  ratio: number;
}

/** A minimum adapter-to-baseline throughput ratio a provider aims for on one operation. */
export interface ThroughputGoal {
  operation: OperationName;
  minRatio: number;
}

export interface GoalCheck extends ThroughputGoal {
  ratio: number;
  passed: boolean;
}

export interface BenchSettings {
  provider: string;
  ops: number;
  warmupOps: number;
  docsPerCollection: number;
  seed: number;
}

export interface BenchReport {
  settings: BenchSettings;
  startedAt: string;
  durationMs: number;
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string };
  operations: OperationResult[];
  goals: GoalCheck[];
  /** High-water mark of the whole process's resident memory, both targets together. */
  peakRssMiB: number;
}

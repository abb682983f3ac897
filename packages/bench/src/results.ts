import type { MachineInfo } from './report/machine';
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
  /**
   * Round trips per call, counted on the wire, only for providers that talk to a server:
   * HTTP requests for couchdb, SQL statements for postgres (what a unit is, and how it was
   * counted, is in {@link BenchReport.wireUnit}).
   */
  requestsPerCall?: number;
}

export interface OperationResult {
  operation: OperationName;
  /** Documents one call reads or writes (a page's worth for `list`). */
  docsPerCall: number;
  adapter: TargetStats;
  baseline: TargetStats;
  /**
   * Adapter throughput divided by baseline throughput: 1 means as fast, 0.5 half as fast.
   * The median over pairs of alternating slices, so it can differ from the quotient of the
   * two `opsPerSec`, which count every slice.
   */
  ratio: number;
}

/** A minimum adapter-to-baseline throughput ratio a provider aims for on one operation. */
export interface ThroughputGoal {
  operation: OperationName;
  minRatio: number;
}

/** The same minimum ratio on every operation of the table. */
export function everyOperation(minRatio: number): ThroughputGoal[] {
  return OPERATION_NAMES.map((operation) => ({ operation, minRatio }));
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
  /**
   * Calls each operation makes at least while measured: batch and page operations move
   * more than `ops` documents rather than be the median of a handful of pairs.
   */
  minCalls: number;
  /** Documents of the saveMany-versus-single-saves measurement (providers with extras). */
  bulkDocs: number;
  /** Documents of the listAll measurement (providers with extras). */
  listDocs: number;
}

/** What a provider's wire counter counts: one HTTP request, one SQL statement, and so on. */
export interface WireUnit {
  /** Heading of the per-call column, e.g. "req/op". */
  column: string;
  /** The counted thing in the plural, e.g. "requests", "statements". */
  plural: string;
  /** One line saying what was counted and how, printed under the table. */
  note: string;
}

/** One `saveMany` of `documents` new documents against as many `save` calls, one by one. */
export interface SaveManyVsSingle {
  documents: number;
  /** The median of the timed `saveMany` calls, each of `documents` new documents. */
  saveManyMs: number;
  /** Every timed `saveMany` call, in the order they ran. */
  saveManyRunsMs: number[];
  singleSavesMs: number;
  /** `singleSavesMs / saveManyMs`: how many times faster the median `saveMany` call was. */
  speedup: number;
  /** Round trips of the median saveMany call, in {@link BenchReport.wireUnit}s. */
  saveManyRequests: number;
  /** Round trips of all the single saves together, in {@link BenchReport.wireUnit}s. */
  singleSaveRequests: number;
  minSpeedup: number;
  passed: boolean;
}

/** One `listAll` of a collection holding `documents` documents. */
export interface ListAllMeasurement {
  documents: number;
  ms: number;
  /** Round trips it made (in {@link BenchReport.wireUnit}s), i.e. pages read. */
  requests: number;
  /** Body bytes of all its responses together, as sent on the wire. */
  responseBytes: number;
  /** Body bytes of its largest single response, as sent on the wire. */
  largestResponseBytes: number;
  /**
   * How that response was encoded: "gzip" when the server compressed it, else "identity"
   * (always "identity" for postgres, whose protocol has no compression).
   */
  largestResponseEncoding: string;
}

/** Measurements beyond the table, for providers that ask for them (counted on the wire). */
export interface ExtraMeasurements {
  saveMany: SaveManyVsSingle;
  listAll: ListAllMeasurement;
}

export interface BenchReport {
  settings: BenchSettings;
  /** What the provider ran against, e.g. which server; absent for in-process providers. */
  backend?: string;
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  operations: OperationResult[];
  /** What `requestsPerCall` and the extras' round trips count; absent when nothing was counted. */
  wireUnit?: WireUnit;
  goals: GoalCheck[];
  extras?: ExtraMeasurements;
  /** High-water mark of the whole process's resident memory, both targets together. */
  peakRssMiB: number;
}

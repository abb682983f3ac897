import type { MachineInfo } from '../report/machine';

/**
 * The row of the baseline given the API's request log and token check (with
 * `--http-costs`): what the two features the goal keeps on cost without the rest of the API.
 */
export const BASELINE_WITH_LOG_AND_TOKEN = "baseline with the API's request log and token check";

export interface HttpBenchSettings {
  /** Providers the API runs on, each measured against the same baseline run. */
  providers: string[];
  durationSeconds: number;
  warmupSeconds: number;
  /** Rounds per target, each a baseline run and a run of the target. */
  rounds: number;
  connections: number;
  seed: number;
  /** The API on memory must reach this share of the baseline's requests per second. */
  minMemoryRatio: number;
  /** Also runs the API on memory without its request log, its token check, and both. */
  featureCosts: boolean;
}

/** One target under the mix: the baseline, or the API on one provider. */
export interface HttpMeasurement {
  target: string;
  /** What it ran on, such as the server of a provider. */
  backend: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Answers that were not 2xx, errors and timeouts: a fair run has none. */
  failures: number;
  /**
   * The server process's CPU time (user and system, all threads) per request answered in
   * the measured part of a run, in µs: the median over the target's runs; null where it
   * cannot be read (not Linux). Steadier than requests per second, which the load
   * generator on the same cores also sets.
   */
  serverCpuMicrosPerRequest: number | null;
  /**
   * The median over rounds of requestsPerSecond / the baseline's in the same round (the
   * baseline's own row: 1). The other numbers are those of the median round.
   */
  ratio: number;
}

export interface HttpBenchReport {
  kind: 'http';
  startedAt: string;
  machine: MachineInfo;
  settings: HttpBenchSettings;
  mix: Array<{ request: string; share: number }>;
  measurements: HttpMeasurement[];
  /** Judged only when the run includes the API on memory. */
  goal?: { target: string; minRatio: number; ratio: number; passed: boolean };
}

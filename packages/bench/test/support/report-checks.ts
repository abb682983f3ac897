import { expect } from 'vitest';
import { type BenchReport, OPERATION_NAMES, type OperationName } from '../../src/results';

/**
 * Round trips per call that every server provider's adapter promises in its README, and
 * that its raw baseline needs for the same work: one each; `update` reads, then writes.
 */
export const ROUND_TRIPS_PER_CALL: Record<OperationName, number> = {
  get: 1,
  getMany: 1,
  list: 1,
  update: 2,
  save: 1,
  saveMany: 1,
  delete: 1,
};

/**
 * The table of a small run against a server: every operation measured on both sides, with
 * the round trips counted on the wire (`unit` names them in failure messages), and a goal
 * of 0.9 on every operation.
 */
export function expectServerTable(
  report: BenchReport | undefined,
  unit: string,
  /** Where the adapter's README promises another count than the baseline's. */
  adapterRoundTrips: Partial<Record<OperationName, number>> = {},
): void {
  expect(report?.operations.map((result) => result.operation)).toEqual([...OPERATION_NAMES]);
  for (const result of report?.operations ?? []) {
    for (const [side, stats] of [
      ['adapter', result.adapter],
      ['baseline', result.baseline],
    ] as const) {
      expect(stats.calls).toBeGreaterThan(0);
      expect(stats.opsPerSec).toBeGreaterThan(0);
      expect(stats.p99Ms).toBeGreaterThanOrEqual(stats.p50Ms);
      const promised = side === 'adapter' ? adapterRoundTrips[result.operation] : undefined;
      expect(stats.requestsPerCall, `${side} ${result.operation} ${unit}`).toBe(
        promised ?? ROUND_TRIPS_PER_CALL[result.operation],
      );
    }
    expect(result.ratio).toBeGreaterThan(0);
  }
  expect(report?.goals.map((goal) => [goal.operation, goal.minRatio])).toEqual(
    OPERATION_NAMES.map((name) => [name, 0.9]),
  );
}

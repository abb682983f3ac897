import { describe, expect, it } from 'vitest';
import { allTargetsMet, formatSummary } from '../src/report/summary-table';
import { type BenchReport, OPERATION_NAMES, type OperationName } from '../src/results';

const STATS = { calls: 1, opsPerSec: 1, p50Ms: 1, p99Ms: 1 };

/** A report with the given ratios and a 0.9 target on each, as a provider's run makes it. */
function report(
  provider: string,
  ratios: Partial<Record<OperationName, number>>,
  speedup?: { value: number; min: number },
): BenchReport {
  const operations = OPERATION_NAMES.filter((name) => ratios[name] !== undefined).map(
    (operation) => ({
      operation,
      docsPerCall: 1,
      adapter: STATS,
      baseline: STATS,
      ratio: ratios[operation] as number,
    }),
  );
  return {
    settings: {
      provider,
      ops: 1,
      warmupOps: 0,
      docsPerCollection: 1,
      seed: 1,
      minCalls: 1,
      bulkDocs: 1,
      listDocs: 1,
    },
    startedAt: '2026-12-05T00:00:00.000Z',
    durationMs: 1,
    machine: { cpus: 2, cpuModel: 'x', node: 'v20', platform: 'linux', arch: 'x64' },
    operations,
    goals: operations.map(({ operation, ratio }) => ({
      operation,
      minRatio: 0.9,
      ratio,
      passed: ratio >= 0.9,
    })),
    ...(speedup && {
      extras: {
        saveMany: {
          documents: 10,
          saveManyMs: 1,
          saveManyRunsMs: [1],
          saveManyRequests: 1,
          singleSavesMs: speedup.value,
          singleSaveRequests: 10,
          speedup: speedup.value,
          minSpeedup: speedup.min,
          passed: speedup.value >= speedup.min,
        },
        listAll: {
          documents: 1,
          ms: 1,
          requests: 1,
          responseBytes: 1,
          largestResponseBytes: 1,
          largestResponseEncoding: 'identity',
        },
      },
    }),
    peakRssMiB: 1,
  };
}

describe('the --all summary', () => {
  const every = (ratio: number) =>
    Object.fromEntries(OPERATION_NAMES.map((name) => [name, ratio])) as Record<
      OperationName,
      number
    >;

  it('gives each provider a line of ratios, marking each target missed', () => {
    const reports = [
      report('memory', { ...every(1.2), delete: 0.85 }),
      report('postgres', every(0.95), { value: 14.9, min: 20 }),
    ];
    const summary = formatSummary(reports);
    const lines = summary.split('\n');
    expect(summary).toMatch(
      /^provider\s+get\s+getMany\s+list\s+update\s+save\s+saveMany\s+delete\s+saveMany speed-up$/m,
    );
    expect(summary).toMatch(/^memory(\s+1\.20 ){6}\s+0\.85!\s+-$/m);
    expect(summary).toMatch(/^postgres(\s+0\.95 ){7}\s+14\.9x!$/m);
    // The decimal points stand in line, marked or not.
    const memory = lines.find((line) => line.startsWith('memory')) ?? '';
    const postgres = lines.find((line) => line.startsWith('postgres')) ?? '';
    expect(memory.indexOf('0.85!')).toBe(postgres.lastIndexOf('0.95 '));
    expect(lines.at(-1)).toBe('13 of 15 targets met.');
    expect(allTargetsMet(reports)).toBe(false);
  });

  it('says when every target was met, and shows an operation not measured as "-"', () => {
    const reports = [
      report('memory', { get: 1, save: 1 }),
      report('couchdb', every(0.9), { value: 12, min: 10 }),
    ];
    const summary = formatSummary(reports);
    expect(summary).toMatch(/^memory\s+1\.00\s+-\s+-\s+-\s+1\.00\s+-\s+-\s+-$/m);
    expect(summary).toMatch(/^couchdb(\s+0\.90){7}\s+12\.0x$/m);
    expect(summary).toMatch(/^10 of 10 targets met\.$/m);
    expect(allTargetsMet(reports)).toBe(true);
  });
});

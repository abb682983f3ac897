import type { BenchReport, GoalCheck, TargetStats } from '../results';

const HEADER = [
  'operation',
  'calls',
  'docs/call',
  '|',
  'adapter ops/s',
  'p50 ms',
  'p99 ms',
  '|',
  'baseline ops/s',
  'p50 ms',
  'p99 ms',
  '|',
  'ratio',
];

/** The human-readable summary printed after a run. */
export function formatReport(report: BenchReport, strict: boolean): string {
  const { settings } = report;
  const rows = report.operations.map((result) => [
    result.operation,
    String(result.adapter.calls),
    String(result.docsPerCall),
    '|',
    ...targetCells(result.adapter),
    '|',
    ...targetCells(result.baseline),
    '|',
    result.ratio.toFixed(2),
  ]);
  return [
    `Gofannon DB bench: provider ${settings.provider}, ${settings.ops} ops per operation ` +
      `(warm-up ${settings.warmupOps}), ${settings.docsPerCollection} docs per collection, ` +
      `seed ${settings.seed}`,
    '',
    ...alignColumns([HEADER, ...rows]),
    '',
    `Peak RSS ${report.peakRssMiB.toFixed(0)} MiB (whole process); ` +
      `took ${(report.durationMs / 1000).toFixed(1)} s on ${report.machine.cpus} CPUs, ` +
      `Node ${report.machine.node}`,
    'ratio = adapter ops/s / baseline ops/s; compare ratios within one run, not across machines.',
    ...goalLines(report.goals, strict),
  ].join('\n');
}

function targetCells(stats: TargetStats): string[] {
  return [
    Math.round(stats.opsPerSec).toLocaleString('en-US'),
    stats.p50Ms.toFixed(3),
    stats.p99Ms.toFixed(3),
  ];
}

function goalLines(goals: readonly GoalCheck[], strict: boolean): string[] {
  if (goals.length === 0) return [];
  const note = strict ? '' : ' (reported only; --strict makes a FAIL exit non-zero)';
  return [
    '',
    `Targets${note}:`,
    ...goals.map(
      (goal) =>
        `  ${goal.passed ? 'PASS' : 'FAIL'}  ${goal.operation}: ratio ${goal.ratio.toFixed(2)}, ` +
        `needs >= ${goal.minRatio.toFixed(2)}`,
    ),
  ];
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

import { type BenchReport, OPERATION_NAMES } from '../results';
import { alignColumns } from './align-columns';

/**
 * One line per provider of an `--all` run: each operation's ratio to its baseline and the
 * saveMany speed-up where it was measured, a target missed marked `!`, then how many
 * targets were met. The numbers are each provider's own run; the table only gathers them.
 */
export function formatSummary(reports: readonly BenchReport[]): string {
  const header = ['provider', ...OPERATION_NAMES, 'saveMany speed-up'];
  const rows = reports.map((report) => [
    report.settings.provider,
    ...OPERATION_NAMES.map((name) => {
      const result = report.operations.find((operation) => operation.operation === name);
      if (result === undefined) return '- ';
      const goal = report.goals.find((check) => check.operation === name);
      // A space where a mark could stand keeps the decimal points in line.
      return `${result.ratio.toFixed(2)}${goal?.passed === false ? '!' : ' '}`;
    }),
    speedupCell(report),
  ]);
  const checks = reports.flatMap((report) => [
    ...report.goals.map((goal) => goal.passed),
    ...(report.extras ? [report.extras.saveMany.passed] : []),
  ]);
  const met = checks.filter(Boolean).length;
  return [
    'Summary: adapter / baseline throughput per operation (! = below its target)',
    '',
    ...alignColumns([header, ...rows]),
    '',
    `${met} of ${checks.length} targets met.`,
  ].join('\n');
}

function speedupCell(report: BenchReport): string {
  const saveMany = report.extras?.saveMany;
  if (saveMany === undefined) return '- ';
  return `${saveMany.speedup.toFixed(1)}x${saveMany.passed ? ' ' : '!'}`;
}

/** Whether every target of every provider was met. */
export function allTargetsMet(reports: readonly BenchReport[]): boolean {
  return reports.every(
    (report) =>
      report.goals.every((goal) => goal.passed) && report.extras?.saveMany.passed !== false,
  );
}

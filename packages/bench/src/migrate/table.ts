import { alignColumns } from '../report/align-columns';
import type { MigrateBenchReport, MigrateRun, PeakRatioCheck } from './results';

/** The human-readable summary printed after a `--migrate` run. */
export function formatMigrateReport(report: MigrateBenchReport, strict: boolean): string {
  const { settings } = report;
  const header = [
    'target',
    'docs',
    'seconds',
    'docs/s',
    '|',
    'RSS before',
    'peak RSS',
    'RSS growth',
    'heap growth',
    'kept',
    '|',
    'RSS growth of runs',
    'ratio',
  ];
  const rows = report.measurements.map((m) => {
    const check = report.checks.find((c) => c.target === m.target && c.largeDocs === m.documents);
    return [
      m.target,
      count(m.documents),
      m.seconds.toFixed(1),
      count(m.docsPerSec),
      '|',
      mib(m.rssBeforeMiB),
      mib(m.peakRssMiB),
      mib(m.peakRssGrowthMiB),
      mib(m.peakHeapGrowthMiB),
      mib(m.retainedHeapMiB),
      '|',
      m.runPeaksMiB.map(mib).join(' / '),
      check ? `${check.ratio.toFixed(2)} ${check.passed ? 'PASS' : 'FAIL'}` : '',
    ];
  });
  const backends = settings.targets.map(
    (target) => `  ${target}: ${report.backends[target] ?? 'not opened'}`,
  );
  const gcNote = report.measurements.every((m) => m.gcForced)
    ? ''
    : ' WARNING: no GC could be forced before measuring; the numbers are less comparable.';
  return [
    `Gofannon DB bench --migrate: db-cli migrate() from a memory source, batch size ` +
      `${settings.batchSize}, concurrency ${settings.concurrency}, seed ${settings.seed}`,
    'Targets:',
    ...backends,
    '',
    ...alignColumns([header, ...rows]),
    '',
    'MiB throughout. Each run was a fresh Node process (runs per size: ' +
      `${settings.targets.map((target) => `${target} ${settings.repeats[target]}`).join(', ')}), with`,
    'the source (and a memory target) a memory adapter in a process of its own: GC forced, then',
    `migrate() timed and its RSS and heap sampled every ${settings.sampleIntervalMs} ms and after every batch.`,
    'RSS growth / heap growth = peak during migrate() minus just before it; kept = heap still in',
    'use after it and a GC. A row is the run with the median RSS growth; all runs are listed.',
    "ratio = RSS growth of the largest size over the smallest's (median runs), needs <= " +
      `${settings.maxPeakRatio}.${gcNote}`,
    ...checkLines(report.checks, strict),
  ].join('\n');
}

function checkLines(checks: readonly PeakRatioCheck[], strict: boolean): string[] {
  if (checks.length === 0) return [];
  const note = strict ? '' : ' (reported only; --strict makes a FAIL exit non-zero)';
  return [
    '',
    `Targets${note}:`,
    ...checks.map(
      (check) =>
        `  ${check.passed ? 'PASS' : 'FAIL'}  ${check.target}: peak RSS growth ` +
        `${mib(check.largePeakMiB)} MiB at ${count(check.largeDocs)} docs, ` +
        `${mib(check.smallPeakMiB)} MiB at ${count(check.smallDocs)}: ` +
        `ratio ${check.ratio.toFixed(2)}, needs <= ${check.maxRatio}`,
    ),
  ];
}

/** One line per finished measurement, printed while the run goes on. */
export function formatMeasurementLine(m: MigrateRun): string {
  return (
    `  ${m.target} ${count(m.documents)} docs: ${m.seconds.toFixed(1)} s, ` +
    `${count(m.docsPerSec)} docs/s, peak RSS +${mib(m.peakRssGrowthMiB)} MiB`
  );
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function mib(value: number): string {
  return value.toFixed(1);
}

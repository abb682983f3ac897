import type { BenchReport, ExtraMeasurements, GoalCheck, TargetStats, WireUnit } from '../results';
import { PAIRS } from '../runner/operations';
import { alignColumns } from './align-columns';

/** The human-readable summary printed after a run. */
export function formatReport(report: BenchReport, strict: boolean): string {
  const { settings } = report;
  // The per-call round-trip columns (req/op, stmt/op) appear only when the provider counted
  // them on the wire.
  const unit = report.wireUnit;
  const wire =
    unit !== undefined &&
    report.operations.some((result) => result.adapter.requestsPerCall !== undefined);
  const targetHeader = (name: string) => [
    `${name} ops/s`,
    'p50 ms',
    'p99 ms',
    ...(wire ? [unit.column] : []),
  ];
  const header = [
    'operation',
    'calls',
    'docs/call',
    '|',
    ...targetHeader('adapter'),
    '|',
    ...targetHeader('baseline'),
    '|',
    'ratio',
  ];
  const rows = report.operations.map((result) => [
    result.operation,
    String(result.adapter.calls),
    String(result.docsPerCall),
    '|',
    ...targetCells(result.adapter, wire),
    '|',
    ...targetCells(result.baseline, wire),
    '|',
    result.ratio.toFixed(2),
  ]);
  return [
    `Gofannon DB bench: provider ${settings.provider}, ${settings.ops} ops per operation ` +
      `(warm-up ${settings.warmupOps}), ${settings.docsPerCollection} docs per collection, ` +
      `seed ${settings.seed}`,
    ...(report.backend === undefined ? [] : [`Backend: ${report.backend}`]),
    '',
    ...alignColumns([header, ...rows]),
    '',
    `Peak RSS ${report.peakRssMiB.toFixed(0)} MiB (whole process); ` +
      `took ${(report.durationMs / 1000).toFixed(1)} s on ${report.machine.cpus} CPUs, ` +
      `Node ${report.machine.node}`,
    `ratio = adapter throughput / baseline throughput, the median of ${PAIRS} pairs of slices (fewer for an operation of fewer calls); ` +
      'compare ratios within one run, not across machines.',
    ...(wire ? [unit.note] : []),
    ...(report.extras && unit ? extraLines(report.extras, unit) : []),
    ...goalLines(report, strict),
  ].join('\n');
}

function targetCells(stats: TargetStats, wire: boolean): string[] {
  return [
    Math.round(stats.opsPerSec).toLocaleString('en-US'),
    stats.p50Ms.toFixed(3),
    stats.p99Ms.toFixed(3),
    ...(wire ? [formatRequests(stats.requestsPerCall)] : []),
  ];
}

function formatRequests(requestsPerCall: number | undefined): string {
  if (requestsPerCall === undefined) return '-';
  return Number.isInteger(requestsPerCall) ? String(requestsPerCall) : requestsPerCall.toFixed(2);
}

function extraLines({ saveMany, listAll }: ExtraMeasurements, unit: WireUnit): string[] {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const count = (n: number) => n.toLocaleString('en-US');
  return [
    '',
    'Adapter only, counted on the wire:',
    `  saveMany of ${count(saveMany.documents)} docs in one call: ${seconds(saveMany.saveManyMs)}, ` +
      `${count(saveMany.saveManyRequests)} ${unit.plural} (median of ${saveMany.saveManyRunsMs.length} calls: ` +
      `${saveMany.saveManyRunsMs.map((ms) => seconds(ms)).join(', ')})`,
    `  ${count(saveMany.documents)} single saves, one by one: ${seconds(saveMany.singleSavesMs)}, ` +
      `${count(saveMany.singleSaveRequests)} ${unit.plural}`,
    `  saveMany speed-up: ${saveMany.speedup.toFixed(1)}x`,
    `  listAll of ${count(listAll.documents)} docs: ${seconds(listAll.ms)}, ` +
      `${count(listAll.requests)} ${unit.plural}, largest response ${count(listAll.largestResponseBytes)} ` +
      `bytes (${listAll.largestResponseEncoding}) of ${count(listAll.responseBytes)} in all, ` +
      'bytes on the wire',
  ];
}

function goalLines(report: BenchReport, strict: boolean): string[] {
  const lines = report.goals.map(
    (goal: GoalCheck) =>
      `  ${passFail(goal.passed)}  ${goal.operation}: ratio ${goal.ratio.toFixed(2)}, ` +
      `needs >= ${goal.minRatio.toFixed(2)}`,
  );
  const saveMany = report.extras?.saveMany;
  if (saveMany) {
    lines.push(
      `  ${passFail(saveMany.passed)}  saveMany vs single saves: speed-up ` +
        `${saveMany.speedup.toFixed(1)}x, needs >= ${saveMany.minSpeedup}x`,
    );
  }
  if (lines.length === 0) return [];
  const note = strict ? '' : ' (reported only; --strict makes a FAIL exit non-zero)';
  return ['', `Targets${note}:`, ...lines];
}

function passFail(passed: boolean): string {
  return passed ? 'PASS' : 'FAIL';
}

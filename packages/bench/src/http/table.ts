import { alignColumns } from '../report/align-columns';
import { BASELINE_WITH_LOG_AND_TOKEN, type HttpBenchReport } from './results';

/** The HTTP bench as text: one row per target, then the goal line. */
export function formatHttpReport(report: HttpBenchReport, strict: boolean): string {
  const { settings } = report;
  const rows = [
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'failures', 'vs baseline', 'server CPU µs/req'],
    ...report.measurements.map((m) => [
      m.target,
      m.requestsPerSecond.toFixed(0),
      m.latencyP50Ms.toFixed(1),
      m.latencyP99Ms.toFixed(1),
      String(m.failures),
      m.ratio.toFixed(2),
      m.serverCpuMicrosPerRequest === null ? '-' : m.serverCpuMicrosPerRequest.toFixed(1),
    ]),
  ];
  const mix = report.mix
    .map((entry) => `${Math.round(entry.share * 100)}% ${entry.request}`)
    .join(', ');
  const { goal } = report;
  const note = strict ? '' : ' (reported only; --strict makes a FAIL exit non-zero)';
  const floor = report.measurements.find((m) => m.target === BASELINE_WITH_LOG_AND_TOKEN);
  return [
    `HTTP load: ${settings.connections} connections on 127.0.0.1; each target ${settings.rounds} rounds of a baseline run and a run of it, ${settings.durationSeconds} s each after ${settings.warmupSeconds} s warm-up`,
    "Ratio: the median of the rounds' ratios to the baseline run before them; req/s and latencies: the median round (baseline: of all its runs)",
    "Server CPU: the server process's CPU time per request answered (user and system, all threads), the median of its runs",
    `Mix: ${mix}`,
    '',
    ...alignColumns(rows),
    '',
    goal
      ? `${goal.passed ? 'PASS' : 'FAIL'} ${goal.target}: ${goal.ratio.toFixed(2)} of the baseline's requests per second (goal ${goal.minRatio})${note}`
      : `No goal judged: the goal is for the API on memory, which this run did not include`,
    ...(floor
      ? [
          `For scale: the baseline with only the API's request log and token check serves ${floor.ratio.toFixed(2)} of the bare baseline's requests per second, about the most any API that keeps both can reach`,
        ]
      : []),
  ].join('\n');
}

import { alignColumns } from '../report/align-columns';
import type { FindBenchReport } from './results';

/** The human-readable summary printed after a `--find` run. */
export function formatFindReport(report: FindBenchReport): string {
  const { settings } = report;
  const lines = [
    `Gofannon DB bench --find: ${count(settings.documents)} documents, ${JSON.stringify(report.query)},`,
    `the first ${settings.pages} pages of ${settings.pageSize}; indexed walks: ${settings.rounds} (unindexed: 1)`,
  ];
  for (const result of report.results) {
    lines.push('', `${result.provider}: ${result.backend}`);
    const rows = result.walks.map((walk) => [
      `  ${walk.name}`,
      String(walk.pages),
      walk.msPerPage.toFixed(3),
      walk.examinedPerPage === undefined ? '-' : count(Math.round(walk.examinedPerPage)),
    ]);
    lines.push(...alignColumns([['  walk', 'pages', 'ms/page', 'examined/page'], ...rows]));
    lines.push(`  speed-up (unindexed ms/page over indexed): ${result.speedup.toFixed(1)}x`);
    if (result.handRatio !== undefined) {
      lines.push(
        `  adapter / ${result.handName ?? 'hand-written SQL'} (hand ms/page over adapter ms/page, median of the rounds): ${result.handRatio.toFixed(2)}`,
      );
    }
    lines.push(`  examined: ${result.examinedBy}`);
    for (const note of result.notes ?? []) lines.push(`  ${note}`);
  }
  lines.push('');
  for (const check of report.checks) {
    lines.push(
      `${check.passed ? 'PASS' : 'FAIL'} ${check.name}: ${check.value.toFixed(2)} (needs >= ${check.min})`,
    );
  }
  return lines.join('\n');
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

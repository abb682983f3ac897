import type { RunSummary } from '../commands/options';
import type { StatsSummary } from '../commands/stats';
import { formatCount, formatDuration } from '../progress/reporter';

/** A plain-text table with right-aligned number columns. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The human summary of export, import and migrate. */
export function formatRunSummary(summary: RunSummary): string {
  const verify = new Map(summary.verify?.map((result) => [result.collection, result]));
  const header = [
    'collection',
    'read',
    summary.dryRun ? 'would write' : 'written',
    'unchanged',
    'failed',
  ];
  if (summary.verify) header.push('verify');
  const rows = summary.collections.map((c) => {
    const row = [
      c.collection,
      formatCount(c.read),
      formatCount(c.written),
      formatCount(c.unchanged),
      formatCount(c.failed),
    ];
    if (summary.verify) {
      const result = verify.get(c.collection);
      row.push(result === undefined ? '-' : result.match ? 'ok' : 'MISMATCH');
    }
    return row;
  });
  const lines = [
    `${summary.command} ${summary.source} -> ${summary.target}${summary.dryRun ? ' (dry run)' : ''}`,
    table(header, rows),
    `took ${formatDuration(summary.durationMs / 1000)}`,
  ];
  for (const c of summary.collections) {
    if (c.duplicates) {
      lines.push(
        `${c.collection}: ${formatCount(c.duplicates)} document line(s) repeat an id found later in the file; only the last copy of each ${summary.dryRun ? 'would be' : 'was'} imported`,
      );
    }
    if (c.expired) {
      lines.push(
        `${c.collection}: ${formatCount(c.expired)} document(s) had expired (their _expiresAt has passed) and ${summary.dryRun ? 'would be' : 'were'} left out`,
      );
    }
  }
  if (summary.dryRun) lines.push('Dry run: nothing was written.');
  if (summary.interrupted) {
    lines.push(
      'Interrupted: stopped after the batches in flight. Run the same command again to finish.',
    );
  }
  if (summary.failures > 0) {
    lines.push(
      `${formatCount(summary.failures)} document(s) were refused by the target; see ${summary.reportFile}`,
    );
  }
  for (const result of summary.verify ?? []) {
    if (result.match) continue;
    lines.push(
      `verify: ${result.collection} differs: source ${formatCount(result.source.documents)} documents (hash ${result.source.hash.slice(0, 12)}), ` +
        `target ${formatCount(result.target.documents)} documents (hash ${result.target.hash.slice(0, 12)})`,
    );
  }
  if (summary.verify?.every((result) => result.match))
    lines.push('verify: every collection matches.');
  return `${lines.join('\n')}\n`;
}

/** The human output of stats. */
export function formatStats(summary: StatsSummary): string {
  const rows = summary.collections.map((c) => [c.collection, formatCount(c.documents)]);
  rows.push(['total', formatCount(summary.total)]);
  return `${summary.source}\n${table(['collection', 'documents'], rows)}\n`;
}

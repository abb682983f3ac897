import { describeMachine } from '../report/machine';
import { PURGE_PROVIDERS } from './purge-providers';
import type { PurgeBenchReport, PurgeBenchSettings, PurgeResult } from './results';

/** `pnpm bench --purge`: loads expired documents on each chosen provider and purges them. */
export async function runPurgeBench(
  settings: PurgeBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<PurgeBenchReport> {
  const startedAt = new Date().toISOString();
  const results: PurgeResult[] = [];
  for (const provider of settings.providers) {
    const measure = PURGE_PROVIDERS[provider];
    if (measure === undefined) throw new Error(`--purge: no provider "${provider}"`);
    print(`${provider}: loading ${settings.documents.toLocaleString('en-US')} expired documents`);
    results.push(await measure(settings, env, print));
  }
  return { startedAt, settings, machine: describeMachine(), results };
}

/** The printed summary of a `--purge` run. */
export function formatPurgeReport(report: PurgeBenchReport): string {
  const lines = [
    `Gofannon DB bench --purge: purgeExpired of ${report.settings.documents.toLocaleString('en-US')} expired documents per provider`,
    'provider  purged  seconds  documents/s  round trips per 1,000',
  ];
  for (const result of report.results) {
    lines.push(
      [
        result.provider.padEnd(8),
        String(result.purged).padStart(6),
        result.seconds.toFixed(2).padStart(8),
        Math.round(result.purged / result.seconds)
          .toLocaleString('en-US')
          .padStart(11),
        (result.roundTripsPer1000 === undefined
          ? '-'
          : result.roundTripsPer1000.toFixed(1)
        ).padStart(22),
      ].join('  '),
    );
    for (const note of result.notes ?? []) lines.push(`  ${result.provider}: ${note}`);
  }
  return lines.join('\n');
}

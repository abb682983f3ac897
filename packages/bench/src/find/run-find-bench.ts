import { describeMachine } from '../report/machine';
import { findQuery } from './dataset';
import { FIND_PROVIDERS } from './find-providers';
import type { FindBenchReport, FindBenchSettings, FindCheck, FindProviderResult } from './results';

/** `pnpm bench --find`: the query on each chosen provider, one after another, and their checks. */
export async function runFindBench(
  settings: FindBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<FindBenchReport> {
  const startedAt = new Date().toISOString();
  const results: FindProviderResult[] = [];
  const checks: FindCheck[] = [];
  for (const provider of settings.providers) {
    const measure = FIND_PROVIDERS[provider];
    if (measure === undefined) throw new Error(`--find: no provider "${provider}"`);
    const measured = await measure(settings, env, print);
    results.push(measured.result);
    checks.push(...measured.checks);
  }
  return {
    startedAt,
    settings,
    query: findQuery(settings.pageSize),
    machine: describeMachine(),
    results,
    checks,
  };
}

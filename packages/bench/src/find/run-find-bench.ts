import { describeMachine } from '../report/machine';
import { findQuery } from './dataset';
import { measureMemory } from './memory-find';
import { measurePostgres } from './postgres-find';
import type { FindBenchReport, FindBenchSettings, FindCheck } from './results';

/** `pnpm bench --find`: the query on memory, then on PostgreSQL, and the checks on both. */
export async function runFindBench(
  settings: FindBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<FindBenchReport> {
  const startedAt = new Date().toISOString();
  print(`memory: loading ${settings.documents.toLocaleString('en-US')} documents twice`);
  const memory = await measureMemory(settings);
  const postgres = await measurePostgres(settings, env, print);
  const checks: FindCheck[] = [];
  const check = (name: string, value: number, min: number) =>
    checks.push({ name, value, min, passed: value >= min });
  for (const result of [memory, postgres]) {
    check(`${result.provider}: indexed speed-up`, result.speedup, settings.minSpeedup);
  }
  check('postgres: adapter / hand-written SQL', postgres.handRatio ?? 0, settings.minHandRatio);
  return {
    startedAt,
    settings,
    query: findQuery(settings.pageSize),
    machine: describeMachine(),
    results: [memory, postgres],
    checks,
  };
}

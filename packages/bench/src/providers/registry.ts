import type { DatabaseService } from '@gofannon/db-core';
import type { ThroughputGoal } from '../results';
import type { BenchTarget } from '../targets/bench-target';

/**
 * What a provider brings to the bench: its adapter, and a baseline that does the same work
 * with the backend's raw client (or, for memory, a plain Map). Each call makes a fresh,
 * empty store; `close()` on the target releases it.
 */
export interface BenchProvider {
  makeAdapter(): DatabaseService | Promise<DatabaseService>;
  makeBaseline(): BenchTarget | Promise<BenchTarget>;
  /** Reported as PASS/FAIL lines; enforced only with `--strict`. */
  throughputGoals: readonly ThroughputGoal[];
}

/** Loaded on demand so one provider's client libraries never load for another's run. */
const PROVIDERS: Record<string, () => Promise<BenchProvider>> = {
  memory: () => import('./memory'),
};

export const DEFAULT_BENCH_PROVIDER = 'memory';

export function benchProviderNames(): string[] {
  return Object.keys(PROVIDERS);
}

export function loadBenchProvider(name: string): Promise<BenchProvider> {
  const load = PROVIDERS[name];
  if (!load) {
    throw new Error(
      `No bench provider "${name}"; choose one of: ${benchProviderNames().join(', ')}`,
    );
  }
  return load();
}

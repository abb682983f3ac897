import type { DatabaseService } from '@gofannon/db-core';
import { createMemoryDatabaseService } from '@gofannon/db-memory';
import { everyOperation, type ThroughputGoal } from '../results';
import type { BenchTarget } from '../targets/bench-target';
import { MapBaseline } from '../targets/map-baseline';

export function makeAdapter(): DatabaseService {
  return createMemoryDatabaseService();
}

export function makeBaseline(): BenchTarget {
  return new MapBaseline();
}

/** Every operation at least 0.9 of the baseline's throughput. */
export const throughputGoals: readonly ThroughputGoal[] = everyOperation(0.9);

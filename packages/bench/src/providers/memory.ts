import type { DatabaseService } from '@gofannon/db-core';
import { createMemoryDatabaseService } from '@gofannon/db-memory';
import type { ThroughputGoal } from '../results';
import type { BenchTarget } from '../targets/bench-target';
import { MapBaseline } from '../targets/map-baseline';

export function makeAdapter(): DatabaseService {
  return createMemoryDatabaseService();
}

export function makeBaseline(): BenchTarget {
  return new MapBaseline();
}

export const throughputGoals: readonly ThroughputGoal[] = [
  { operation: 'get', minRatio: 0.7 },
  { operation: 'save', minRatio: 0.7 },
  { operation: 'delete', minRatio: 0.7 },
];

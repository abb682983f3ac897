import { randomBytes } from 'node:crypto';
import type { DatabaseService } from '@gofannon/db-core';
import type { ResolvedOptions } from './options';

/** What each test receives: a fresh service and a collection name no other test uses. */
export interface CaseContext {
  service: DatabaseService;
  collection: string;
  /** Another unused collection name. */
  newCollection(): string;
  options: ResolvedOptions;
}

/** One check of the contract. */
export interface ConformanceCase {
  /** The concern it belongs to: one file of the suite. */
  group: string;
  name: string;
  run(context: CaseContext): Promise<void>;
  /** An option without which the case does not apply and is reported as skipped. */
  requires?: 'outage' | 'requestGate';
}

/** Declares the cases of one concern. */
export function defineCases(
  group: string,
  cases: Record<string, (context: CaseContext) => Promise<void>>,
): ConformanceCase[] {
  return Object.entries(cases).map(([name, run]) => ({ group, name, run }));
}

/** A random valid collection name, so suites can share one server side by side. */
export function randomCollection(): string {
  return `conf_${randomBytes(6).toString('hex')}`;
}

/** Runs one case on a fresh service and closes it afterwards, whatever happens. */
export async function runCase(testCase: ConformanceCase, options: ResolvedOptions): Promise<void> {
  const service = await options.create();
  try {
    await testCase.run({
      service,
      collection: randomCollection(),
      newCollection: randomCollection,
      options,
    });
  } finally {
    await service.close();
  }
}

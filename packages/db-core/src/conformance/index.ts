import { describe, it } from 'vitest';
import { batchCases } from './batches';
import { cancellationCases } from './cancellation';
import { concurrencyCases } from './concurrency';
import { crudCases } from './crud';
import { errorCases } from './errors';
import { type ConformanceCase, runCase } from './harness';
import { lifecycleCases, outageCases } from './lifecycle';
import { limitCases } from './limits';
import { listingCases } from './listing';
import { nameAndIdCases } from './names-and-ids';
import { type ConformanceOptions, type ResolvedOptions, resolveOptions } from './options';
import { revisionCases } from './revisions';
import { valueCases } from './values';

export { eventually, expectDatabaseError, expectStored } from './expectations';
export type { CaseContext, ConformanceCase } from './harness';
export { randomCollection } from './harness';
export type {
  BackendInspector,
  ConformanceOptions,
  OutageControl,
  RequestGate,
} from './options';

/** Every case of the suite, concern by concern. */
export function conformanceCases(): ConformanceCase[] {
  return [
    ...crudCases,
    ...errorCases,
    ...nameAndIdCases,
    ...valueCases,
    ...revisionCases,
    ...concurrencyCases,
    ...listingCases,
    ...batchCases,
    ...limitCases,
    ...lifecycleCases,
    ...outageCases,
    ...cancellationCases,
  ];
}

/**
 * Registers the whole conformance suite with vitest: call it at the top level of a test
 * file with a factory that makes a fresh service. Each test gets its own service and
 * random collection names, so several suites can share one server.
 */
export function runConformanceSuite(options: ConformanceOptions): void {
  const resolved = resolveOptions(options);
  const groups = groupByConcern(conformanceCases());
  describe(`conformance: ${resolved.name}`, () => {
    for (const [group, cases] of groups) {
      describe(group, () => {
        for (const testCase of cases) {
          const skipped =
            testCase.requires !== undefined && resolved[testCase.requires] === undefined;
          it.skipIf(skipped)(
            testCase.name,
            () => runCase(testCase, resolved),
            resolved.testTimeoutMs,
          );
        }
      });
    }
  });
}

/**
 * Runs every case against an adapter outside vitest's registry and returns the names of
 * the failed ones with their errors: how the suite checks that it catches broken adapters.
 */
export async function findConformanceFailures(
  options: ConformanceOptions,
): Promise<Array<{ name: string; error: unknown }>> {
  const resolved: ResolvedOptions = resolveOptions(options);
  const failures: Array<{ name: string; error: unknown }> = [];
  for (const testCase of conformanceCases()) {
    if (testCase.requires !== undefined && resolved[testCase.requires] === undefined) continue;
    try {
      await runCase(testCase, resolved);
    } catch (error) {
      failures.push({ name: `${testCase.group} > ${testCase.name}`, error });
    }
  }
  return failures;
}

function groupByConcern(cases: ConformanceCase[]): Map<string, ConformanceCase[]> {
  const groups = new Map<string, ConformanceCase[]>();
  for (const testCase of cases) {
    const list = groups.get(testCase.group) ?? [];
    list.push(testCase);
    groups.set(testCase.group, list);
  }
  return groups;
}

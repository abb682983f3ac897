import { describe, it } from 'vitest';
import { batchCases } from './batches';
import { cancellationCases } from './cancellation';
import { concurrencyCases } from './concurrency';
import { crudCases } from './crud';
import { errorCases } from './errors';
import { expiryCases } from './expiry';
import { CaseSkipped, type ConformanceCase, caseTimeoutMs, runCase, within } from './harness';
import { lifecycleCases } from './lifecycle';
import { limitCases } from './limits';
import { inspectorCases, listingCases } from './listing';
import { nameAndIdCases } from './names-and-ids';
import { type ConformanceOptions, type ResolvedOptions, resolveOptions } from './options';
import { outageCases } from './outages';
import { queryIndexCases } from './query-indexes';
import { queryMatchingCases } from './query-matching';
import { queryOrderingCases } from './query-ordering';
import { queryInspectorCases, queryPagingCases } from './query-paging';
import { queryValidationCases } from './query-validation';
import { revisionCases } from './revisions';
import { valueCases } from './values';

export { eventually, expectDatabaseError, expectStored } from './expectations';
export type { CaseContext, CaseRequirement, ConformanceCase } from './harness';
export { randomCollection, TestClock } from './harness';
export type {
  BackendInspector,
  ConformanceOptions,
  OutageControl,
  RequestGate,
  ServiceSettings,
} from './options';

/** Every case of the suite, concern by concern. */
export function conformanceCases(): ConformanceCase[] {
  return [
    ...crudCases,
    ...errorCases,
    ...nameAndIdCases,
    ...valueCases,
    ...revisionCases,
    ...expiryCases,
    ...concurrencyCases,
    ...listingCases,
    ...inspectorCases,
    ...batchCases,
    ...limitCases,
    ...queryValidationCases,
    ...queryMatchingCases,
    ...queryOrderingCases,
    ...queryPagingCases,
    ...queryInspectorCases,
    ...queryIndexCases,
    ...lifecycleCases,
    ...outageCases,
    ...cancellationCases,
  ];
}

/**
 * Registers the whole conformance suite with vitest: call it at the top level of a test
 * file with a factory that makes a fresh service. Each test gets its own service and
 * random collection names, so several suites can share one server. A case that needs an
 * option not given (`inspector`, `outage`), or that does not apply to the adapter's
 * capabilities, is reported as skipped with the reason.
 */
export function runConformanceSuite(options: ConformanceOptions): void {
  const resolved = resolveOptions(options);
  const groups = groupByConcern(conformanceCases());
  describe(`conformance: ${resolved.name}`, () => {
    for (const [group, cases] of groups) {
      describe(group, () => {
        for (const testCase of cases) {
          it(
            testCase.name,
            (context) => runCase(testCase, resolved, (reason) => context.skip(reason)),
            caseTimeoutMs(testCase, resolved),
          );
        }
      });
    }
  });
}

/** What running every case outside vitest found. */
export interface ConformanceReport {
  /** The failed cases ("group > case name") with their errors. */
  failures: Array<{ name: string; error: unknown }>;
  /** The cases that did not apply, with the reason. */
  skipped: Array<{ name: string; reason: string }>;
}

/**
 * Runs every case against an adapter outside vitest's registry, one after the other, each
 * within the time limit vitest would give it: how the suite checks that it catches broken
 * adapters.
 */
export async function runConformanceCases(options: ConformanceOptions): Promise<ConformanceReport> {
  const resolved: ResolvedOptions = resolveOptions(options);
  const report: ConformanceReport = { failures: [], skipped: [] };
  for (const testCase of conformanceCases()) {
    const name = `${testCase.group} > ${testCase.name}`;
    try {
      const timeoutMs = caseTimeoutMs(testCase, resolved);
      await within('the case', timeoutMs, () => runCase(testCase, resolved));
    } catch (error) {
      if (error instanceof CaseSkipped) report.skipped.push({ name, reason: error.message });
      else report.failures.push({ name, error });
    }
  }
  return report;
}

/** The failed cases of {@link runConformanceCases}. */
export async function findConformanceFailures(
  options: ConformanceOptions,
): Promise<Array<{ name: string; error: unknown }>> {
  return (await runConformanceCases(options)).failures;
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

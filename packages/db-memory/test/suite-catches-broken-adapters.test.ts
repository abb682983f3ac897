import {
  type ConformanceOptions,
  findConformanceFailures,
  runConformanceCases,
} from '@gofannon/db-core/conformance';
import { describe, expect, it } from 'vitest';
import { MemoryDatabaseService } from '../src';
import { type BrokenAdapter, brokenAdapters } from './broken-adapters';
import { brokenAdapter as listingCreatesCollection } from './broken-adapters/listing-creates-collection';
import { RuleBreakingFind } from './broken-adapters/rule-breaking-find';
import { LaggingQueries } from './lagging-queries';
import { memoryInspector } from './memory-inspector';
import { OutageMemoryService, SimulatedServer } from './outage-memory';

/**
 * Keeps the large listing case quick. At 300 it fits in one 1000-document page of listAll,
 * so no adapter here may rely on that case to catch a multi-page listAll fault.
 */
const MANY_DOCUMENTS = 300;
const TIMEOUT_MS = 60_000;

function runOptions(adapter: BrokenAdapter): ConformanceOptions {
  return {
    name: adapter.rule,
    create: adapter.create,
    manyDocuments: MANY_DOCUMENTS,
    inspector: adapter.inspector,
    outage: adapter.outage,
  };
}

const CANCELLATION_CASES = [
  'cancellation > no backend request of a call is made after its deadline 503',
  "cancellation > no backend request of a call is made after its caller's abort",
  'cancellation > a signal that is not an AbortSignal is 400, an aborted one 503 without a request',
];

describe('the conformance suite catches broken adapters', () => {
  it(
    'passes the unbroken memory adapter, every case run (control)',
    async () => {
      const server = new SimulatedServer('refused');
      const report = await runConformanceCases(
        runOptions({
          rule: 'unbroken memory',
          create: ({ clock }) => new OutageMemoryService(server, { timeoutMs: 1_000, clock }),
          inspector: memoryInspector,
          outage: server.outage(1_000),
          caughtBy: [],
        }),
      );
      expect(report.failures.map(({ name, error }) => `${name}: ${String(error)}`)).toEqual([]);
      // Every case runs but the cancellation ones, which hold and count requests on the wire
      // (the server adapters' suites pass a request gate; a simulated server has no wire).
      expect(report.skipped.map(({ name }) => name)).toEqual(CANCELLATION_CASES);
    },
    TIMEOUT_MS,
  );

  it(
    'passes every query case on the rule-breaking base of the query adapters, unbroken (control)',
    async () => {
      const report = await runConformanceCases(
        runOptions({
          rule: 'unbroken rule-breaking find',
          create: ({ clock }) => new RuleBreakingFind({ clock }),
          inspector: memoryInspector,
          caughtBy: [],
        }),
      );
      const queryFailures = report.failures.filter(({ name }) => name.startsWith('queries:'));
      expect(queryFailures.map(({ name, error }) => `${name}: ${String(error)}`)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'waits for queries that lag within the bound an adapter declares, and fails the same lag declared consistent',
    async () => {
      const queryFailures = async (declared: 'consistent' | 'eventually consistent') =>
        (
          await findConformanceFailures(
            runOptions({
              rule: `lagging, ${declared}`,
              create: () => new LaggingQueries(declared),
              caughtBy: [],
            }),
          )
        )
          .filter(({ name }) => name.startsWith('queries:'))
          .map(({ name }) => name);
      expect(await queryFailures('eventually consistent')).toEqual([]);
      expect(await queryFailures('consistent')).toEqual(
        expect.arrayContaining(['queries: pages and walks > a query reads its own writes']),
      );
    },
    TIMEOUT_MS,
  );

  it('has at least 30 broken adapters, each with a distinct rule and cases that must catch it', () => {
    expect(brokenAdapters.length).toBeGreaterThanOrEqual(30);
    expect(new Set(brokenAdapters.map((adapter) => adapter.rule)).size).toBe(brokenAdapters.length);
    for (const adapter of brokenAdapters)
      expect([adapter.rule, adapter.caughtBy.length > 0]).toEqual([adapter.rule, true]);
  });

  it.each(brokenAdapters.map((adapter) => [adapter.rule, adapter] as const))(
    'fails on: %s',
    async (_rule, adapter) => {
      const failures = await findConformanceFailures(runOptions(adapter));
      const failed = failures.map((failure) => failure.name);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed).toEqual(expect.arrayContaining(adapter.caughtBy));
      if (adapter.saying) {
        const first = failures.find((failure) => failure.name === adapter.caughtBy[0]);
        expect(String(first?.error)).toMatch(adapter.saying);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'reports the checks that need an inspector as skipped when none is given, never as passed',
    async () => {
      const report = await runConformanceCases({
        ...runOptions(listingCreatesCollection),
        inspector: undefined,
      });
      expect(report.failures).toEqual([]);
      expect(report.skipped).toEqual([
        expect.objectContaining({
          name: 'listing and pages > reads of an unknown collection create nothing on the backend',
          reason: expect.stringMatching(/pass `inspector`/),
        }),
        expect.objectContaining({
          name: 'listing and pages > the first write creates the collection',
        }),
        expect.objectContaining({
          name: 'queries: pages and walks > queries of an unknown collection create nothing on the backend',
          reason: expect.stringMatching(/pass `inspector`/),
        }),
        expect.objectContaining({ reason: expect.stringMatching(/pass `outage`/) }),
        expect.objectContaining({ reason: expect.stringMatching(/pass `outage`/) }),
        ...CANCELLATION_CASES.map((name) =>
          expect.objectContaining({ name, reason: expect.stringMatching(/pass `requestGate`/) }),
        ),
      ]);
    },
    TIMEOUT_MS,
  );

  it(
    'scales the value matrix to a 64 KiB document limit',
    async () => {
      const failures = await findConformanceFailures({
        name: 'memory at 64 KiB',
        create: ({ clock }) => new MemoryDatabaseService({ maxDocumentBytes: 64 * 1024, clock }),
        manyDocuments: MANY_DOCUMENTS,
      });
      expect(failures.map(({ name, error }) => `${name}: ${String(error)}`)).toEqual([]);
    },
    TIMEOUT_MS,
  );
});

import { type ConformanceOptions, findConformanceFailures } from '@gofannon/db-core/conformance';
import { describe, expect, it } from 'vitest';
import { MemoryDatabaseService } from '../src';
import { type BrokenAdapter, brokenAdapters } from './broken-adapters';
import { memoryInspector } from './memory-inspector';

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
  };
}

async function failedCases(adapter: BrokenAdapter): Promise<string[]> {
  const failures = await findConformanceFailures(runOptions(adapter));
  return failures.map((failure) => failure.name);
}

describe('the conformance suite catches broken adapters', () => {
  it(
    'passes the unbroken memory adapter (control)',
    async () => {
      const failures = await findConformanceFailures(
        runOptions({
          rule: 'unbroken memory',
          create: () => new MemoryDatabaseService(),
          inspector: memoryInspector,
          caughtBy: [],
        }),
      );
      expect(failures.map(({ name, error }) => `${name}: ${String(error)}`)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it('has at least 14 broken adapters, each with a distinct rule and cases that must catch it', () => {
    expect(brokenAdapters.length).toBeGreaterThanOrEqual(14);
    expect(new Set(brokenAdapters.map((adapter) => adapter.rule)).size).toBe(brokenAdapters.length);
    for (const adapter of brokenAdapters)
      expect([adapter.rule, adapter.caughtBy.length > 0]).toEqual([adapter.rule, true]);
  });

  it.each(brokenAdapters.map((adapter) => [adapter.rule, adapter] as const))(
    'fails on: %s',
    async (_rule, adapter) => {
      const failed = await failedCases(adapter);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed).toEqual(expect.arrayContaining(adapter.caughtBy));
    },
    TIMEOUT_MS,
  );
});

import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../src/cli-options';

describe('bench flags', () => {
  it('uses the bench defaults for memory', () => {
    expect(parseCliOptions([], {}).settings).toEqual({
      provider: 'memory',
      ops: 20_000,
      warmupOps: 2_000,
      docsPerCollection: 2_000,
      seed: 1,
      minCalls: 64,
      bulkDocs: 10_000,
      listDocs: 50_000,
    });
  });

  it("uses the provider's own defaults for flags not given, and the flags when given", () => {
    expect(parseCliOptions([], { DATABASE_PROVIDER: 'couchdb' }).settings).toMatchObject({
      provider: 'couchdb',
      ops: 800,
      warmupOps: 100,
      docsPerCollection: 2_000,
    });
    expect(
      parseCliOptions(['--provider', 'couchdb', '--ops', '7', '--bulk-docs', '5'], {}).settings,
    ).toMatchObject({ ops: 7, warmupOps: 100, bulkDocs: 5, listDocs: 50_000 });
  });

  it('measures every operation over at least --min-calls calls, one per pair by default', () => {
    expect(parseCliOptions(['--min-calls', '8'], {}).settings.minCalls).toBe(8);
    expect(() => parseCliOptions(['--min-calls', '0'], {})).toThrow(/--min-calls/);
    expect(() => parseCliOptions(['--min-calls', 'many'], {})).toThrow(/--min-calls/);
  });

  it('uses smaller defaults for postgres, whose writes wait for a disk flush', () => {
    expect(parseCliOptions(['--provider', 'postgres'], {}).settings).toEqual({
      provider: 'postgres',
      ops: 5_000,
      warmupOps: 500,
      docsPerCollection: 2_000,
      seed: 1,
      minCalls: 64,
      bulkDocs: 10_000,
      listDocs: 50_000,
    });
  });

  it('--all runs every provider with its own sizes, or those --providers names', () => {
    const all = parseCliOptions(['--all'], {}).all ?? [];
    expect(all.map((settings) => settings.provider)).toEqual([
      'memory',
      'couchdb',
      'postgres',
      'dynamodb',
      'firestore',
    ]);
    expect(all.find((settings) => settings.provider === 'couchdb')?.ops).toBe(800);
    expect(all.find((settings) => settings.provider === 'memory')?.ops).toBe(20_000);
    const chosen = parseCliOptions(['--all', '--providers', 'postgres,memory', '--ops', '9'], {});
    expect(chosen.all?.map((settings) => [settings.provider, settings.ops])).toEqual([
      ['postgres', 9],
      ['memory', 9],
    ]);
    expect(parseCliOptions([], {}).all).toBeUndefined();
  });

  it('refuses --providers without --all, and names it knows not or twice', () => {
    expect(() => parseCliOptions(['--providers', 'memory'], {})).toThrow(/--all/);
    expect(() => parseCliOptions(['--all', '--providers', 'memory,redis'], {})).toThrow(
      /--providers takes distinct names from memory, couchdb/,
    );
    expect(() => parseCliOptions(['--all', '--providers', 'memory,memory'], {})).toThrow(
      /distinct/,
    );
  });

  it('accepts the "--" that `pnpm bench -- --flag` passes on', () => {
    expect(parseCliOptions(['--', '--ops', '5', '--list-docs', '3'], {}).settings).toMatchObject({
      ops: 5,
      listDocs: 3,
    });
  });

  it('refuses sizes that are not whole numbers of at least 1', () => {
    expect(() => parseCliOptions(['--bulk-docs', '0'], {})).toThrow(/--bulk-docs/);
    expect(() => parseCliOptions(['--list-docs', '2.5'], {})).toThrow(/--list-docs/);
  });
});

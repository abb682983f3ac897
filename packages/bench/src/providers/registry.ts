import type { DatabaseService } from '@gofannon/db-core';
import type { BenchSettings, ThroughputGoal, WireUnit } from '../results';
import type { BenchTarget } from '../targets/bench-target';
import type { WireCounts } from './wire-proxy';

/**
 * Counts what passes between the targets and their server: HTTP requests through a proxy
 * (`wire-proxy.ts`), or SQL statements on pg's connections (`statement-counter.ts`).
 * `counts().requests` is the number of round trips in `unit`s.
 */
export interface WireCounter {
  readonly unit: WireUnit;
  counts(): WireCounts;
  reset(): void;
}

/**
 * What a provider brings to one bench run: its adapter, and a baseline that does the same
 * work with the backend's raw client (or, for memory, a plain Map). Each call makes a
 * fresh, empty store; `close()` on the target releases it.
 */
export interface BenchProvider {
  makeAdapter(): DatabaseService | Promise<DatabaseService>;
  makeBaseline(): BenchTarget | Promise<BenchTarget>;
  /** Reported as PASS/FAIL lines; enforced only with `--strict`. */
  throughputGoals: readonly ThroughputGoal[];
  /** What the run talks to, such as which server; printed and written to the JSON. */
  backend?: string;
  /**
   * Counts the round trips both targets make to their server, with one counter they share;
   * adds the per-call columns (`req/op`, `stmt/op`).
   */
  wire?: WireCounter;
  /**
   * Asks for the measurements after the table (one saveMany against single saves, and a
   * listAll), with the speed-up saveMany must reach. Needs `wire`.
   */
  extras?: { minSaveManySpeedup: number };
  /** Releases what the targets share (a server, a proxy), after both targets are closed. */
  close?(): Promise<void>;
}

/** Run-size flags a provider may default differently, where one call costs far more. */
export type SizeDefaults = Pick<BenchSettings, 'ops' | 'warmupOps' | 'docsPerCollection'>;

interface ProviderEntry {
  /** Loads the provider's module and readies it for one run. */
  open(env: Readonly<Record<string, string | undefined>>): Promise<BenchProvider>;
  /** Replaces the bench's defaults for the flags not given. */
  defaults?: Partial<SizeDefaults>;
}

/** Loaded on demand so one provider's client libraries never load for another's run. */
const PROVIDERS: Record<string, ProviderEntry> = {
  memory: { open: () => import('./memory') },
  couchdb: {
    open: async (env) => (await import('./couchdb')).openCouchDbProvider(env),
    // Every call is an HTTP round trip (a few ms on the local test server) and the extras
    // take about 80 s (10,000 single saves); this keeps a run on 2 cores under 3 minutes.
    defaults: { ops: 800, warmupOps: 100 },
  },
  postgres: {
    open: async (env) => (await import('./postgres')).openPostgresProvider(env),
    // Every write waits for a WAL flush on the durable bench server (about a millisecond
    // here); this keeps a run on 2 cores around 1.5 minutes, extras included.
    defaults: { ops: 5000, warmupOps: 500 },
  },
  dynamodb: {
    open: async (env) => (await import('./dynamodb')).openDynamoDbProvider(env),
    // Every call is an HTTP round trip to DynamoDB Local (a few ms each); this keeps a run
    // on 2 cores at a few minutes, extras included.
    defaults: { ops: 1500, warmupOps: 200 },
  },
  firestore: {
    open: async (env) => (await import('./firestore')).openFirestoreProvider(env),
    // Every call is a gRPC round trip to the emulator (about a millisecond here); this keeps
    // a run on 2 cores at a few minutes, extras included.
    defaults: { ops: 2000, warmupOps: 200 },
  },
};

export const DEFAULT_BENCH_PROVIDER = 'memory';

export function benchProviderNames(): string[] {
  return Object.keys(PROVIDERS);
}

function providerEntry(name: string): ProviderEntry {
  const entry = PROVIDERS[name];
  if (!entry) {
    throw new Error(
      `No bench provider "${name}"; choose one of: ${benchProviderNames().join(', ')}`,
    );
  }
  return entry;
}

/** The provider's own defaults for the run-size flags; throws for an unknown provider. */
export function providerDefaults(name: string): Partial<SizeDefaults> {
  return providerEntry(name).defaults ?? {};
}

/**
 * Loads a provider and readies it for one run (starting a server, say); call its
 * `close()` when done. `env` is where it finds its settings, such as `COUCHDB_URL`.
 */
export function openBenchProvider(
  name: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<BenchProvider> {
  return providerEntry(name).open(env);
}

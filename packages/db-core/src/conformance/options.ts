import type { DatabaseService } from '@gofannon/db-core';

/** Optional access to the backend beneath the adapter, for checks the interface cannot see. */
export interface BackendInspector {
  /**
   * Whether the backend holds a database, table or collection for this collection name.
   * `service` is the one the test is using; an inspector with its own client ignores it.
   */
  collectionExists(collection: string, service: DatabaseService): Promise<boolean>;
}

/** A way to take the backend down and bring it back, for the outage checks. */
export interface OutageControl {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Counts and holds the backend requests of services made for it (a proxy in front of the
 * backend, say), for the cancellation cases: they show that no request of a call reaches
 * the backend after the call's 503.
 */
export interface RequestGate {
  /** A fresh service whose backend requests pass the gate, with this `timeoutMs`. */
  create(timeoutMs: number): DatabaseService | Promise<DatabaseService>;
  /** Backend requests that reached the gate so far, held ones included. */
  requests(): number;
  /** Resolves once `count` requests in all have reached the gate. */
  reached(count: number): Promise<void>;
  /** From now on, requests are held: neither passed on nor answered. */
  hold(): void;
  /** Passes the held requests whose client still waits, and every later one. */
  release(): void;
}

/** What the suite asks of each service it makes. */
export interface ServiceSettings {
  /** The clock the service's documents expire by (`ServiceOptions.clock`). */
  clock: () => number;
}

/** What {@link runConformanceSuite} needs to know about an adapter. */
export interface ConformanceOptions {
  /** Shown in test names, such as `"memory"`. */
  name: string;
  /**
   * Makes a fresh, ready service; the suite calls it once per test and closes what it gets.
   * Pass `settings.clock` on as the service's `clock` option (the expiry cases move it).
   */
  create: (settings: ServiceSettings) => DatabaseService | Promise<DatabaseService>;
  /** Writers racing in the concurrency tests (default 16). */
  concurrency?: number;
  /** Documents in the large listing tests; choose enough for several backend pages (default 2500). */
  manyDocuments?: number;
  /** Per-test time limit in milliseconds (default 60 000). */
  testTimeoutMs?: number;
  /** Lets the suite check that reads create nothing on the backend. */
  inspector?: BackendInspector;
  /**
   * Lets the suite stop and restart the backend, to check 503 within `timeoutMs` and
   * recovery of the same service object. Only for suites that own their server.
   */
  outage?: OutageControl & { timeoutMs: number };
  /** Lets the suite check that a call's 503 ends its backend requests, retries and waits. */
  requestGate?: RequestGate;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<
  Pick<ConformanceOptions, 'concurrency' | 'manyDocuments' | 'testTimeoutMs'>
> &
  ConformanceOptions;

/** Fills in the defaults: 16 writers, 2500 documents, 60 s per test. */
export function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  return { concurrency: 16, manyDocuments: 2500, testTimeoutMs: 60_000, ...options };
}

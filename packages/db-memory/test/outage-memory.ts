import type {
  BackendPage,
  DeleteOutcome,
  PreparedDocument,
  StoredDocument,
} from '@gofannon/db-core';
import type { OutageControl } from '@gofannon/db-core/conformance';
import { MemoryDatabaseService, type MemoryOptions } from '../src';

/**
 * How a stopped server looks from the client: a refused connection at once (a stopped
 * process on a live host), or no answer at all (a dropped network), which only the
 * service's own deadline ends.
 */
export type OutageKind = 'refused' | 'silent';

/**
 * A stand-in for the server beneath a memory service, so that the suite's outage cases
 * run on the memory adapter too: while stopped, every backend call of the services bound
 * to it fails the way `kind` says. The data stays (a restart that keeps it).
 */
export class SimulatedServer {
  #stopped = false;

  constructor(readonly kind: OutageKind) {}

  /**
   * Resolves while the server runs; otherwise fails as `kind` says. A silent server's
   * request ends only when the call's signal aborts, as a well-behaved client's does.
   */
  reach(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#stopped) return Promise.resolve();
    if (this.kind === 'refused') {
      return Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      );
    }
    return new Promise((_, reject) => {
      if (signal?.aborted) reject(signal.reason);
      else signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  /** The suite's `outage` option for services with this `timeoutMs`. */
  outage(timeoutMs: number): OutageControl & { timeoutMs: number } {
    return {
      stop: async () => {
        this.#stopped = true;
      },
      start: async () => {
        this.#stopped = false;
      },
      timeoutMs,
    };
  }
}

/** A memory service whose every backend call goes through a {@link SimulatedServer}. */
export class OutageMemoryService extends MemoryDatabaseService {
  // Its calls wait for a server now, so they need the deadline a remote backend's get.
  protected override readonly inProcess: boolean = false;
  readonly #server: SimulatedServer;

  constructor(server: SimulatedServer, options: MemoryOptions = {}) {
    super(options);
    this.#server = server;
  }

  protected override async _get(
    collection: string,
    id: string,
    signal?: AbortSignal,
  ): Promise<StoredDocument | null> {
    await this.#server.reach(signal);
    return super._get(collection, id);
  }

  protected override async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    signal?: AbortSignal,
  ): Promise<string | null> {
    await this.#server.reach(signal);
    return super._save(collection, id, doc, ifRev);
  }

  protected override async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal?: AbortSignal,
  ): Promise<DeleteOutcome> {
    await this.#server.reach(signal);
    return super._delete(collection, id, ifRev);
  }

  protected override _purgeExpired(
    collection: string,
    now: number,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<number> {
    return bounded(async (signal) => {
      await this.#server.reach(signal);
      return super._purgeExpired(collection, now, bounded);
    });
  }

  protected override async _listPage(
    collection: string,
    limit: number,
    after: string | null,
    signal?: AbortSignal,
  ): Promise<BackendPage> {
    await this.#server.reach(signal);
    return super._listPage(collection, limit, after);
  }

  protected override async _ping(signal?: AbortSignal): Promise<void> {
    await this.#server.reach(signal);
  }
}

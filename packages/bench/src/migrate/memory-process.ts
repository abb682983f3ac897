import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  AbstractDatabaseService,
  type BackendPage,
  type Capabilities,
  type DatabaseService,
  type DeleteOutcome,
  type PreparedDocument,
  type PreparedWrite,
  type StoredDocument,
} from '@gofannon/db-core';
import { stopChild } from '@gofannon/test-support';
import { spawnTsx } from '../process/spawn-tsx';
import type { SourceContents } from './source';

const MEMORY_MAIN = fileURLToPath(new URL('./memory-main.ts', import.meta.url));
const STOP_TIMEOUT_MS = 10_000;

/** A write as it crosses the IPC channel: the document as its JSON. */
export interface WireWrite {
  id: string;
  json: string;
  ifRev: string | null | undefined;
}

/** A backend call of the adapter in the memory process. */
export type MemoryCall =
  | { method: 'get'; collection: string; id: string }
  | { method: 'getMany'; collection: string; ids: readonly string[] }
  | {
      method: 'save';
      collection: string;
      id: string;
      json: string;
      ifRev: string | null | undefined;
    }
  | { method: 'saveMany'; collection: string; writes: WireWrite[] }
  | { method: 'delete'; collection: string; id: string; ifRev: string | undefined }
  | { method: 'listPage'; collection: string; limit: number; after: string | null };

/** What the memory process says: it is ready, a call's result, or a failure. */
export type MemoryMessage =
  | { type: 'ready'; contents: SourceContents | undefined; capabilities: Capabilities }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'failed'; id?: number; error: string };

/** A memory adapter in a process of its own, and the service that uses it from here. */
export interface MemoryProcess {
  service: DatabaseService;
  pid: number;
  /** What it was filled with, when it was. */
  contents: SourceContents | undefined;
  stop(): Promise<void>;
}

/**
 * Starts a process holding a memory adapter, filled first with `fill.documents`
 * seed-shaped documents (`fillSource`) when given, and returns a service that uses it over
 * the IPC channel. The data then lives in that process, as a server's lives in the server,
 * and the process running the migration holds only what the migration itself holds.
 */
export async function startMemoryProcess(fill?: {
  documents: number;
  seed: number;
}): Promise<MemoryProcess> {
  const child = spawnTsx(MEMORY_MAIN, {
    args: fill ? [String(fill.documents), String(fill.seed)] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<MemoryMessage & { type: 'ready' }>((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message: MemoryMessage) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`The memory process did not start: ${JSON.stringify(message)}`));
    });
    void exited.then(() => reject(new Error('The memory process exited while starting')));
  });
  return {
    service: new RemoteMemoryService(child, exited, ready.capabilities),
    pid: child.pid as number,
    contents: ready.contents,
    stop: () => stopChild(child, { label: 'The memory process', timeoutMs: STOP_TIMEOUT_MS }),
  };
}

/** The memory adapter of another process: each backend call is one IPC round trip. */
class RemoteMemoryService extends AbstractDatabaseService {
  readonly provider = 'memory';
  readonly capabilities: Capabilities;
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (message: MemoryMessage) => void>();
  #nextId = 0;
  #exited = false;

  /** `capabilities`: the adapter's own, as the memory process reported them. */
  constructor(child: ChildProcess, exited: Promise<void>, capabilities: Capabilities) {
    super();
    this.capabilities = capabilities;
    this.#child = child;
    child.on('message', (message: MemoryMessage) => {
      if (message.type === 'ready' || message.id === undefined) return;
      this.#waiting.get(message.id)?.(message);
      this.#waiting.delete(message.id);
    });
    void exited.then(() => {
      this.#exited = true;
      for (const settle of this.#waiting.values()) {
        settle({ type: 'failed', error: 'the memory process exited' });
      }
      this.#waiting.clear();
    });
  }

  protected _get(collection: string, id: string): Promise<StoredDocument | null> {
    return this.#call({ method: 'get', collection, id });
  }

  protected override _getMany(
    collection: string,
    ids: readonly string[],
  ): Promise<Array<StoredDocument | null>> {
    return this.#call({ method: 'getMany', collection, ids });
  }

  protected _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    return this.#call({ method: 'save', collection, id, json: doc.json, ifRev });
  }

  protected override _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
  ): Promise<Array<string | null>> {
    return this.#call({
      method: 'saveMany',
      collection,
      writes: writes.map(({ id, doc, ifRev }) => ({ id, json: doc.json, ifRev })),
    });
  }

  protected _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): Promise<DeleteOutcome> {
    return this.#call({ method: 'delete', collection, id, ifRev });
  }

  protected _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    return this.#call({ method: 'listPage', collection, limit, after });
  }

  protected async _ping(): Promise<void> {}

  #call<T>(call: MemoryCall): Promise<T> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#exited) {
        reject(new Error(`The memory process has exited: no ${call.method} possible`));
        return;
      }
      this.#waiting.set(id, (message) => {
        if (message.type === 'result') resolve(message.result as T);
        else
          reject(
            new Error(`The memory process failed a ${call.method}: ${JSON.stringify(message)}`),
          );
      });
      this.#child.send({ id, call });
    });
  }
}

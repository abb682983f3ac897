/**
 * Entry of a process that holds a memory adapter for a migrate measurement, as a server
 * holds its data (started by `memory-process.ts`): fills it first when given a document
 * count and seed, says it is ready, then runs the adapter calls that arrive over the IPC
 * channel until the parent goes away.
 */
import { PreparedDocument, type PreparedWrite } from '@gofannon/db-core';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { errorText, sendToParent } from '../process/parent-channel';
import type { MemoryCall, MemoryMessage, WireWrite } from './memory-process';
import { fillSource, type SourceContents } from './source';

/** The calls of this process are not cancelled: the parent's own calls bound them. */
const NEVER_ABORTED = new AbortController().signal;

/** The memory adapter, with its backend calls open to this process's requests. */
class ServedMemory extends MemoryDatabaseService {
  async run(call: MemoryCall): Promise<unknown> {
    switch (call.method) {
      case 'get':
        return this._get(call.collection, call.id);
      case 'getMany':
        return this._getMany(call.collection, call.ids, NEVER_ABORTED);
      case 'save':
        return this._save(call.collection, call.id, new PreparedDocument(call.json), call.ifRev);
      case 'saveMany':
        return this.#saveMany(call.collection, call.writes);
      case 'delete':
        return this._delete(call.collection, call.id, call.ifRev);
      case 'listPage':
        return this._listPage(call.collection, call.limit, call.after);
    }
  }

  /** Saves a chunk; a document refused fails the call (the bench's runs refuse none). */
  async #saveMany(collection: string, writes: readonly WireWrite[]) {
    const prepared: PreparedWrite[] = writes.map(({ id, json, ifRev }) => ({
      id,
      doc: new PreparedDocument(json),
      ifRev,
    }));
    const revisions = await this._saveMany(collection, prepared, NEVER_ABORTED);
    const refused = revisions.find((revision) => revision instanceof Error);
    if (refused) throw refused;
    return revisions;
  }
}

const send = (message: MemoryMessage): Promise<void> => sendToParent(message);

process.on('disconnect', () => process.exit(0));

const service = new ServedMemory();
const [documents, seed] = process.argv.slice(2).map(Number);
try {
  const contents: SourceContents | undefined =
    documents === undefined ? undefined : await fillSource(service, documents, seed ?? 1);
  process.on('message', ({ id, call }: { id: number; call: MemoryCall }) => {
    service.run(call).then(
      (result) => send({ type: 'result', id, result }),
      (error: unknown) => send({ type: 'failed', id, error: errorText(error) }),
    );
  });
  await send({ type: 'ready', contents, capabilities: service.capabilities });
} catch (error) {
  await send({ type: 'failed', error: errorText(error) });
  process.exit(1);
}

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConflictError, type StoredDocument, toStoredDocument } from '../src';
import { expectDatabaseError } from '../src/conformance';
import { ScriptedService } from './support/scripted-service';

const never = () => new Promise<never>(() => {});

/** A real ECONNREFUSED: a port that was just free. */
async function refusedConnection(): Promise<Error> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => {
      throw new Error('expected the connection to be refused');
    },
    (error: Error) => error,
  );
}

describe('AbstractDatabaseService', () => {
  it('bounds every backend call and answers 503 at the deadline', async () => {
    const service = new ScriptedService(
      { get: never, save: never, delete: never, listPage: never, ping: never },
      { timeoutMs: 50 },
    );
    const error = await expectDatabaseError(service.get('c', 'x'), 'unavailable', {
      collection: 'c',
      id: 'x',
    });
    expect(error.message).toContain('50 ms');
    await expectDatabaseError(service.save('c', 'x', {}), 'unavailable');
    await expectDatabaseError(service.delete('c', 'x'), 'unavailable');
    await expectDatabaseError(service.list('c'), 'unavailable');
    await expectDatabaseError(service.ping(), 'unavailable');
  });

  it('maps an unreachable network to 503 with the cause kept', async () => {
    const refused = await refusedConnection();
    const service = new ScriptedService({ get: () => Promise.reject(refused) });
    const error = await expectDatabaseError(service.get('c', 'x'), 'unavailable');
    expect(error.cause).toBe(refused);
  });

  it('maps anything unexpected to 500 with its cause', async () => {
    const boom = new TypeError('boom');
    const service = new ScriptedService({ get: () => Promise.reject(boom) });
    const error = await expectDatabaseError(service.get('c', 'x'), 'internal', {
      collection: 'c',
      id: 'x',
    });
    expect(error.cause).toBe(boom);
    expect(error.message).toContain('boom');
  });

  it('lets the adapter translate its own errors first', async () => {
    const service = new ScriptedService({
      get: () => Promise.reject(new Error('backend said 409')),
      translate: (_error, target) => new ConflictError('translated', target),
    });
    await expectDatabaseError(service.get('c', 'x'), 'conflict', { collection: 'c', id: 'x' });
  });

  it('never lets a translation turn a database error into another', async () => {
    const service = new ScriptedService(
      { get: never, translate: (_error, target) => new ConflictError('too broad', target) },
      { timeoutMs: 30 },
    );
    await expectDatabaseError(service.get('c', 'x'), 'unavailable');
  });

  it('reports a batch answer of the wrong length as 500 on each item', async () => {
    const service = new ScriptedService({ saveMany: async () => ['1-a'] });
    const results = await service.saveMany('c', [
      { id: 'a', doc: {} },
      { id: 'b', doc: {} },
    ]);
    expect(results.map((r) => ('error' in r ? r.error.code : 'ok'))).toEqual([
      'internal',
      'internal',
    ]);
    expect((results[0] as { error: Error }).error.message).toContain(
      'batch of 2 items with 1 results',
    );
  });

  it('validates before calling the backend', async () => {
    const service = new ScriptedService({});
    await expectDatabaseError(service.get('Bad', 'x'), 'invalid');
    await expectDatabaseError(service.save('c', 'x', { n: Number.NaN }), 'invalid');
    await expectDatabaseError(service.save('c', 'x', { big: 'x'.repeat(2000) }), 'too_large');
  });

  it('hands the backend the normalised JSON of the document', async () => {
    const seen: string[] = [];
    const service = new ScriptedService({
      save: async (_c, _id, doc) => {
        seen.push(doc.json);
        expect(doc.bytes).toBe(Buffer.byteLength(doc.json));
        expect(doc.body).toEqual(JSON.parse(doc.json));
        return '1-a';
      },
    });
    await service.save('c', 'x', {
      _id: 'no',
      _rev: 'no',
      when: new Date(0),
      skip: undefined,
      é: 'ü',
    });
    expect(seen).toEqual(['{"when":"1970-01-01T00:00:00.000Z","é":"ü"}']);
  });

  it('splits batches into the backend sizes and keeps results aligned', async () => {
    const chunkSizes: number[] = [];
    const service = new ScriptedService(
      {
        saveMany: async (_c, writes) => {
          chunkSizes.push(writes.length);
          return writes.map((write) => (write.id === 'i7' ? null : `rev-${write.id}`));
        },
      },
      { batchSizes: { get: 3, save: 4, delete: 3 } },
    );
    const ids = Array.from({ length: 10 }, (_, i) => `i${i}`);
    const results = await service.saveMany(
      'c',
      ids.map((id) => ({ id, doc: {}, ifRev: id === 'i7' ? 'r' : undefined })),
    );
    expect(chunkSizes.sort()).toEqual([2, 4, 4]);
    expect(results.map((r) => ('rev' in r ? r.rev : r.error.code))).toEqual(
      ids.map((id) => (id === 'i7' ? 'conflict' : `rev-${id}`)),
    );
  });

  it('also splits saves by the bytes of their documents', async () => {
    const chunkSizes: number[] = [];
    const service = new ScriptedService(
      {
        saveMany: async (_c, writes) => {
          chunkSizes.push(writes.length);
          return writes.map(() => '1-a');
        },
      },
      { batchSizes: { get: 10, save: 10, delete: 10, saveBytes: 50 } },
    );
    const doc = { s: 'x'.repeat(14) }; // 22 bytes of JSON
    await service.saveMany(
      'c',
      Array.from({ length: 5 }, (_, i) => ({ id: `i${i}`, doc })),
    );
    expect(chunkSizes.sort()).toEqual([1, 2, 2]);
  });

  it('reports a failed chunk on each of its items and keeps the others', async () => {
    let call = 0;
    const service = new ScriptedService(
      {
        saveMany: async (_c, writes) => {
          call += 1;
          if (call === 1) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
          return writes.map(() => '1-a');
        },
      },
      { batchSizes: { get: 2, save: 2, delete: 2 } },
    );
    const results = await service.saveMany('c', [
      { id: 'a', doc: {} },
      { id: 'b', doc: {} },
      { id: 'c', doc: {} },
    ]);
    const codes = results.map((r) => ('error' in r ? r.error.code : 'ok'));
    expect(codes.filter((code) => code === 'unavailable')).toHaveLength(2);
    expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
  });

  it('reads and encodes documents chunk by chunk, as their chunk is sent', async () => {
    const read = new Set<string>();
    const readBeforeEachCall: number[] = [];
    const service = new ScriptedService(
      {
        saveMany: async (_c, writes) => {
          readBeforeEachCall.push(read.size);
          return writes.map(() => '1-a');
        },
      },
      { batchSizes: { get: 2, save: 2, delete: 2 } },
    );
    const items = Array.from({ length: 10 }, (_, i) => ({
      id: `i${i}`,
      doc: {
        get v() {
          read.add(`i${i}`);
          return i;
        },
      },
    }));
    const results = await service.saveMany('c', items);
    expect(results.every((result) => 'rev' in result)).toBe(true);
    // The first chunk went out after reading its own two documents, not all ten.
    expect(readBeforeEachCall[0]).toBe(2);
    expect(readBeforeEachCall).toHaveLength(5);
    expect([...read].sort()).toEqual(items.map((item) => item.id).sort());
  });

  it('answers 400 for a document that cannot be read, and saves the others', async () => {
    const unreadable = {
      get broken(): never {
        throw new Error('no access');
      },
    };
    const saved: string[] = [];
    const service = new ScriptedService({
      save: async () => '1-a',
      saveMany: async (_c, writes) => {
        saved.push(...writes.map((write) => write.id));
        return writes.map(() => '1-a');
      },
    });
    await expectDatabaseError(service.save('c', 'x', unreadable), 'invalid', {
      collection: 'c',
      id: 'x',
    });
    const results = await service.saveMany('c', [
      { id: 'a', doc: {} },
      { id: 'b', doc: unreadable },
    ]);
    expect(results[0]).toEqual({ id: 'a', rev: '1-a' });
    expect(results[1]).toMatchObject({ id: 'b', error: { code: 'invalid', path: '/broken' } });
    expect(saved).toEqual(['a']);
  });

  it('starts no further chunk of a getMany once one failed', async () => {
    const asked: string[] = [];
    const service = new ScriptedService(
      {
        get: async (_c, id) => {
          asked.push(id);
          throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        },
      },
      { batchSizes: { get: 2, save: 2, delete: 2 } },
    );
    const ids = Array.from({ length: 10 }, (_, i) => `i${i}`);
    await expectDatabaseError(service.getMany('c', ids), 'unavailable');
    // Four chunks (the default concurrency) were under way; the fifth never started.
    expect(asked).toHaveLength(8);
  });

  it('walks every page in listAll and wraps positions into cursors', async () => {
    const docs: StoredDocument[] = Array.from({ length: 5 }, (_, i) =>
      toStoredDocument({ i }, `d${i}`, '1-a'),
    );
    const calls: Array<[number, string | null]> = [];
    const service = new ScriptedService({
      listPage: async (_c, limit, after) => {
        calls.push([limit, after]);
        const start = after === null ? 0 : Number(after.slice(1)) + 1;
        const page = docs.slice(start, start + 2);
        return {
          documents: page,
          next: start + 2 < docs.length ? (page.at(-1)?._id ?? null) : null,
        };
      },
    });
    expect((await service.listAll('c')).map((d) => d._id)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    const first = await service.list('c', { limit: 2 });
    expect(first.nextCursor).not.toBe('d1');
    await service.list('c', { limit: 2, cursor: first.nextCursor });
    expect(calls.at(-1)).toEqual([2, 'd1']);
  });

  it('lets an adapter read listAll its own way, each request under the deadline', async () => {
    const docs = [toStoredDocument({}, 'a', '1-a'), toStoredDocument({}, 'b', '1-b')];
    const fast = new ScriptedService({
      listAll: async (_c, bounded) => Promise.all(docs.map((doc) => bounded(async () => doc))),
    });
    expect((await fast.listAll('c')).map((d) => d._id)).toEqual(['a', 'b']);
    const stuck = new ScriptedService(
      { listAll: async (_c, bounded) => [await bounded(never)] },
      { timeoutMs: 50 },
    );
    await expectDatabaseError(stuck.listAll('c'), 'unavailable', { collection: 'c' });
    const broken = new ScriptedService({
      listAll: async () => {
        throw new Error('boom');
      },
    });
    await expectDatabaseError(broken.listAll('c'), 'internal', { collection: 'c' });
  });

  it('closes once, and refuses calls afterwards without reaching the backend', async () => {
    let closes = 0;
    const service = new ScriptedService({
      close: async () => {
        closes += 1;
      },
    });
    await Promise.all([service.close(), service.close()]);
    await service.close();
    expect(closes).toBe(1);
    await expectDatabaseError(service.get('c', 'x'), 'unavailable');
  });

  it('refuses a timeout that is not a positive integer', () => {
    for (const timeoutMs of [0, -1, 1.5, Number.NaN]) {
      expect(() => new ScriptedService({}, { timeoutMs })).toThrow(/timeoutMs/);
    }
  });
});

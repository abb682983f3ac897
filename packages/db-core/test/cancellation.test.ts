import { describe, expect, it } from 'vitest';
import { toStoredDocument } from '../src';
import { expectDatabaseError } from '../src/conformance';
import { ScriptedService } from './support/scripted-service';

/** A backend call that never answers but reports when its signal aborts. */
function untilAborted(aborted: AbortSignal[]) {
  return (...args: unknown[]) =>
    new Promise<never>((_, reject) => {
      const signal = args.at(-1) as AbortSignal;
      signal.addEventListener('abort', () => {
        aborted.push(signal);
        reject(signal.reason);
      });
    });
}

describe('cancellation', () => {
  it("aborts the _-method's signal at the deadline and answers 503", async () => {
    const aborted: AbortSignal[] = [];
    const service = new ScriptedService({ get: untilAborted(aborted) }, { timeoutMs: 50 });
    const error = await expectDatabaseError(service.get('c', 'x'), 'unavailable');
    expect(error.message).toContain('50 ms');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]?.aborted).toBe(true);
  });

  it("aborts it when the caller's signal aborts, long before the deadline", async () => {
    const aborted: AbortSignal[] = [];
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const hang = untilAborted(aborted);
    const service = new ScriptedService(
      {
        save: (...args) => {
          started();
          return hang(...args);
        },
      },
      { timeoutMs: 60_000 },
    );
    const controller = new AbortController();
    const call = expectDatabaseError(
      service.save('c', 'x', {}, { signal: controller.signal }),
      'unavailable',
    );
    await running;
    controller.abort(new Error('user left'));
    const error = await call;
    expect(error.message).toMatch(/cancelled/);
    expect((error.cause as Error).message).toBe('user left');
    expect(aborted).toHaveLength(1);
  });

  it('answers 503 at once for an aborted signal, without calling the backend', async () => {
    let calls = 0;
    const service = new ScriptedService({
      get: async () => {
        calls += 1;
        return null;
      },
    });
    await expectDatabaseError(
      service.get('c', 'x', { signal: AbortSignal.abort() }),
      'unavailable',
    );
    await expectDatabaseError(service.listAll('c', { signal: AbortSignal.abort() }), 'unavailable');
    expect(calls).toBe(0);
  });

  it('refuses a signal that is not an AbortSignal with 400, on every method', async () => {
    const service = new ScriptedService({});
    const signal = { aborted: false } as unknown as AbortSignal;
    await expectDatabaseError(service.get('c', 'x', { signal }), 'invalid');
    await expectDatabaseError(service.save('c', 'x', {}, { signal }), 'invalid');
    await expectDatabaseError(service.delete('c', 'x', { signal }), 'invalid');
    await expectDatabaseError(service.list('c', { signal }), 'invalid');
    await expectDatabaseError(service.listAll('c', { signal }), 'invalid');
    await expectDatabaseError(service.getMany('c', ['x'], { signal }), 'invalid');
    await expectDatabaseError(service.saveMany('c', [], { signal }), 'invalid');
    await expectDatabaseError(service.deleteMany('c', [], { signal }), 'invalid');
    await expectDatabaseError(service.ping({ signal }), 'invalid');
  });

  it('aborts the calls still running when the service closes', async () => {
    const aborted: AbortSignal[] = [];
    const service = new ScriptedService({ ping: untilAborted(aborted) }, { timeoutMs: 60_000 });
    const call = expectDatabaseError(service.ping(), 'unavailable');
    await service.close();
    await call;
    expect(aborted).toHaveLength(1);
  });

  it('keeps deadlines apart: a fast call after a slow one is not cut short', async () => {
    let release: () => void = () => {};
    const slowDone = new Promise<void>((resolve) => {
      release = resolve;
    });
    const service = new ScriptedService(
      {
        get: async (_c, id) => {
          if (id === 'slow') await slowDone;
          return toStoredDocument({}, id, '1-a');
        },
      },
      { timeoutMs: 200 },
    );
    const slow = service.get('c', 'slow');
    for (let i = 0; i < 100; i++) expect((await service.get('c', 'fast'))._id).toBe('fast');
    release();
    expect((await slow)._id).toBe('slow');
  });
});

describe('batches', () => {
  it('reads each id once and gives every repeat its own copy', async () => {
    const asked: string[][] = [];
    const service = new ScriptedService({
      getMany: async (_c, ids) => {
        asked.push([...ids]);
        return ids.map((id) => (id === 'missing' ? null : toStoredDocument({ n: [1] }, id, '1-a')));
      },
    });
    const docs = await service.getMany('c', ['a', 'b', 'a', 'missing', 'a', 'missing']);
    expect(asked).toEqual([['a', 'b', 'missing']]);
    expect(docs.map((doc) => doc?._id ?? null)).toEqual(['a', 'b', 'a', null, 'a', null]);
    expect(docs[0]).toEqual(docs[2]);
    expect(docs[0]).not.toBe(docs[2]);
    expect(docs[0]?.n).not.toBe(docs[4]?.n);
  });

  it("maps a raw error in a third-party adapter's batch result, never passing it through", async () => {
    const raw = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const service = new ScriptedService({
      saveMany: async (_c, writes) => writes.map((_, i) => (i === 0 ? raw : 42)),
      deleteMany: async (_c, ids) => ids.map(() => new Error('disk full')),
    });
    const saved = await service.saveMany('c', [
      { id: 'a', doc: {} },
      { id: 'b', doc: {} },
    ]);
    const errors = saved.map((item) => ('error' in item ? item.error : undefined));
    expect(errors.map((error) => [error?.code, error?.id])).toEqual([
      ['unavailable', 'a'],
      ['internal', 'b'],
    ]);
    expect(errors[0]?.cause).toBe(raw);
    const [deleted] = await service.deleteMany('c', ['a']);
    expect(deleted && 'error' in deleted && deleted.error.code).toBe('internal');
  });
});

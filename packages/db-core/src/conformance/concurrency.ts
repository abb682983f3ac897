import { isDatabaseError } from '@gofannon/db-core';
import { assert, expect } from 'vitest';
import { expectStored } from './expectations';
import { defineCases } from './harness';

/** Runs `count` calls at once and sorts their outcomes into values and error codes. */
async function race<T>(count: number, call: (i: number) => Promise<T>) {
  const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => call(i)));
  const values: T[] = [];
  const codes: string[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') values.push(outcome.value);
    else if (isDatabaseError(outcome.reason)) codes.push(outcome.reason.code);
    else throw outcome.reason;
  }
  return { values, codes };
}

export const concurrencyCases = defineCases('concurrency', {
  async 'concurrent blind saves of one id all succeed and one of them is stored'({
    service,
    collection,
    options,
  }) {
    await service.save(collection, 'hot', { writer: -1 });
    const { values, codes } = await race(options.concurrency, (writer) =>
      service.save(collection, 'hot', { writer }),
    );
    expect(codes).toEqual([]);
    const stored = await service.get(collection, 'hot');
    const winner = values.find((result) => result.rev === stored._rev);
    expect(winner, 'the stored revision is one of those returned').toBeDefined();
    expect(typeof stored.writer).toBe('number');
    expectStored(stored, { writer: stored.writer }, 'hot', stored._rev);
    expect(new Set(values.map((v) => v.rev)).size).toBe(values.length);
  },

  async 'concurrent blind saves of a new id all succeed'({ service, collection, options }) {
    const { codes } = await race(options.concurrency, (writer) =>
      service.save(collection, 'fresh', { writer }),
    );
    expect(codes).toEqual([]);
    expect(await service.listAll(collection)).toHaveLength(1);
  },

  async 'of concurrent creates exactly one succeeds, the rest are 409'({
    service,
    collection,
    options,
  }) {
    const { values, codes } = await race(options.concurrency, (writer) =>
      service.save(collection, 'once', { writer }, { ifRev: null }),
    );
    expect(values).toHaveLength(1);
    expect(codes).toEqual(Array(options.concurrency - 1).fill('conflict'));
    expect((await service.get(collection, 'once'))._rev).toBe(values[0]?.rev);
  },

  async 'of concurrent saves with the same ifRev exactly one succeeds'({
    service,
    collection,
    options,
  }) {
    const { rev } = await service.save(collection, 'cas', { writer: -1 });
    const { values, codes } = await race(options.concurrency, (writer) =>
      service.save(collection, 'cas', { writer }, { ifRev: rev }),
    );
    expect(values).toHaveLength(1);
    expect(codes).toEqual(Array(options.concurrency - 1).fill('conflict'));
    expect((await service.get(collection, 'cas'))._rev).toBe(values[0]?.rev);
  },

  async 'of concurrent deletes exactly one succeeds, the rest are 404'({
    service,
    collection,
    options,
  }) {
    await service.save(collection, 'doomed', {});
    const { values, codes } = await race(options.concurrency, () =>
      service.delete(collection, 'doomed'),
    );
    expect(values).toHaveLength(1);
    expect(codes).toEqual(Array(options.concurrency - 1).fill('not_found'));
  },

  async 'of concurrent deletes with the same ifRev exactly one succeeds'({
    service,
    collection,
    options,
  }) {
    const { rev } = await service.save(collection, 'doomed', {});
    const { values, codes } = await race(options.concurrency, () =>
      service.delete(collection, 'doomed', { ifRev: rev }),
    );
    expect(values).toHaveLength(1);
    expect(codes.every((code) => code === 'not_found' || code === 'conflict')).toBe(true);
    expect(codes).toHaveLength(options.concurrency - 1);
  },

  async 'concurrent saves of different ids are all stored'({ service, collection, options }) {
    const count = options.concurrency * 4;
    const { values, codes } = await race(count, (i) => service.save(collection, `id-${i}`, { i }));
    expect(codes).toEqual([]);
    expect(values).toHaveLength(count);
    const all = await service.listAll(collection);
    expect(all.map((doc) => doc._id).sort()).toEqual(
      Array.from({ length: count }, (_, i) => `id-${i}`).sort(),
    );
  },

  async 'a chain of read-modify-write with ifRev loses no update'({
    service,
    collection,
    options,
  }) {
    await service.save(collection, 'counter', { n: 0 });
    const workers = Math.min(options.concurrency, 8);
    // A worker's save conflicts only when another one wrote between its read and its save,
    // and each of the others writes once: a worker that meets more conflicts than that is
    // refused a revision it has just read. (Unbounded, such a loop never yields to a timer
    // on an in-process adapter, and no time limit could end it.)
    const increment = async (): Promise<void> => {
      const revisions: string[] = [];
      for (let attempt = 0; attempt < workers; attempt++) {
        const current = await service.get(collection, 'counter');
        revisions.push(current._rev);
        try {
          await service.save(
            collection,
            'counter',
            { n: (current.n as number) + 1 },
            { ifRev: current._rev },
          );
          return;
        } catch (error) {
          if (!isDatabaseError(error) || error.code !== 'conflict') throw error;
        }
      }
      assert.fail(
        `${workers} saves with the revision just read were all 409, more than ${workers - 1} other writers can cause (revisions read: ${revisions.join(', ')})`,
      );
    };
    await Promise.all(Array.from({ length: workers }, increment));
    expect((await service.get(collection, 'counter')).n).toBe(workers);
  },
});

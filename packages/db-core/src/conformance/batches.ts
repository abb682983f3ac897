import { expect } from 'vitest';
import { expectDatabaseError, expectStored } from './expectations';
import { numberedIds, sampleDoc, sampleItems } from './fixtures';
import { defineCases } from './harness';

export const batchCases = defineCases('batches', {
  async 'getMany is aligned with the ids, null where missing, duplicates allowed'({
    service,
    collection,
  }) {
    await service.save(collection, 'a', { v: 'a' });
    await service.save(collection, 'c', { v: 'c' });
    const got = await service.getMany(collection, ['c', 'missing', 'a', 'c']);
    expect(got.map((doc) => doc?._id ?? null)).toEqual(['c', null, 'a', 'c']);
    expectStored(got[0], { v: 'c' }, 'c');
    expect(got[3]).not.toBe(got[0]);
    expect(await service.getMany(collection, [])).toEqual([]);
  },

  async 'saveMany stores every item and reports each revision'({ service, collection }) {
    const ids = numberedIds(30);
    const results = await service.saveMany(collection, sampleItems(ids));
    expect(results.map((r) => r.id)).toEqual(ids);
    for (const [i, id] of ids.entries()) {
      const result = results[i] as { rev: string };
      expectStored(await service.get(collection, id), sampleDoc(i), id, result.rev);
    }
    expect(await service.saveMany(collection, [])).toEqual([]);
  },

  async 'saveMany over stored and new documents reports the revision each now has'({
    service,
    collection,
  }) {
    const ids = numberedIds(40);
    const first = await service.saveMany(collection, sampleItems(ids.slice(0, 20)));
    const second = await service.saveMany(collection, sampleItems(ids, 1));
    for (const [i, id] of ids.entries()) {
      const { rev } = second[i] as { rev: string };
      expectStored(await service.get(collection, id), sampleDoc(i + 1), id, rev);
      if (i < 20) expect(rev).not.toBe((first[i] as { rev: string }).rev);
    }
    const { rev } = second[25] as { rev: string };
    await service.save(collection, ids[25] as string, { again: true }, { ifRev: rev });
  },

  async 'saveMany reports conflicts and bad items on their own'({ service, collection }) {
    const existing = await service.save(collection, 'existing', { v: 0 });
    const stale = await service.save(collection, 'stale', { v: 0 });
    await service.save(collection, 'stale', { v: 1 });
    const results = await service.saveMany(collection, [
      { id: 'new', doc: { v: 'new' } },
      { id: 'existing', doc: { v: 'create-only' }, ifRev: null },
      { id: 'stale', doc: { v: 'stale write' }, ifRev: stale.rev },
      { id: 'bad', doc: { n: Number.NaN } },
      { id: '', doc: {} },
      { id: 'matching', doc: { v: 'created' }, ifRev: null },
    ]);
    const summary = results.map((r) => ('error' in r ? `${r.id}:${r.error.code}` : `${r.id}:ok`));
    for (const r of results) if ('error' in r) expect(r.error.status).toBeGreaterThanOrEqual(400);
    if (service.capabilities.atomicBatches) {
      expect(summary.filter((s) => s.endsWith(':ok'))).toEqual([]);
      expect(await service.listAll(collection)).toHaveLength(2);
      return;
    }
    expect(summary).toEqual([
      'new:ok',
      'existing:conflict',
      'stale:conflict',
      'bad:invalid',
      ':invalid',
      'matching:ok',
    ]);
    expectStored(await service.get(collection, 'existing'), { v: 0 }, 'existing', existing.rev);
    expect((await service.get(collection, 'stale')).v).toBe(1);
    expect((await service.get(collection, 'new')).v).toBe('new');
    expect((await service.get(collection, 'matching')).v).toBe('created');
    await expectDatabaseError(service.get(collection, 'bad'), 'not_found');
  },

  async 'saveMany with ifRev updates when the revision matches'({ service, collection }) {
    const a = await service.save(collection, 'a', { v: 1 });
    const b = await service.save(collection, 'b', { v: 1 });
    const results = await service.saveMany(collection, [
      { id: 'a', doc: { v: 2 }, ifRev: a.rev },
      { id: 'b', doc: { v: 2 }, ifRev: b.rev },
    ]);
    expect(results.every((r) => 'rev' in r)).toBe(true);
    expect((await service.get(collection, 'a')).v).toBe(2);
    expect((await service.get(collection, 'b'))._rev).toBe((results[1] as { rev: string }).rev);
  },

  async 'a duplicate id in one saveMany is 400 and nothing is stored'({ service, collection }) {
    await expectDatabaseError(
      service.saveMany(collection, [
        { id: 'x', doc: { v: 1 } },
        { id: 'y', doc: { v: 1 } },
        { id: 'x', doc: { v: 2 } },
      ]),
      'invalid',
    );
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'batches larger than any backend batch size are split and all applied'({
    service,
    collection,
  }) {
    const ids = numberedIds(1234);
    const saved = await service.saveMany(collection, sampleItems(ids));
    expect(saved.filter((r) => 'error' in r)).toEqual([]);
    const got = await service.getMany(collection, ids);
    expect(got.map((doc) => doc?._id)).toEqual(ids);
    expect((await service.listAll(collection)).map((doc) => doc._id).sort()).toEqual(ids);
    const deleted = await service.deleteMany(collection, ids);
    expect(deleted).toEqual(ids.map((id) => ({ id })));
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'deleteMany reports missing and invalid ids on their own'({ service, collection }) {
    await service.save(collection, 'a', {});
    await service.save(collection, 'b', {});
    const results = await service.deleteMany(collection, ['a', 'missing', '', 'b']);
    const summary = results.map((r) => ('error' in r ? `${r.id}:${r.error.code}` : `${r.id}:ok`));
    if (service.capabilities.atomicBatches) {
      expect(summary.filter((s) => s.endsWith(':ok'))).toEqual([]);
      return;
    }
    expect(summary).toEqual(['a:ok', 'missing:not_found', ':invalid', 'b:ok']);
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'a duplicate id in one deleteMany is 400 and nothing is deleted'({ service, collection }) {
    await service.save(collection, 'a', {});
    await expectDatabaseError(service.deleteMany(collection, ['a', 'a']), 'invalid');
    expect(await service.listAll(collection)).toHaveLength(1);
  },

  async 'getMany with an invalid id is 400'({ service, collection }) {
    await service.save(collection, 'a', {});
    await expectDatabaseError(service.getMany(collection, ['a', '']), 'invalid', { collection });
  },
});

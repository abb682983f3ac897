import { expect } from 'vitest';
import { expectDatabaseError, expectStored } from './expectations';
import { defineCases } from './harness';

export const revisionCases = defineCases('revisions', {
  async 'every write gives a new non-empty revision string'({ service, collection }) {
    const revs = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const { rev } = await service.save(collection, 'doc', { i });
      expect(typeof rev).toBe('string');
      expect(rev.length).toBeGreaterThan(0);
      expect((await service.get(collection, 'doc'))._rev).toBe(rev);
      revs.add(rev);
    }
    expect(revs.size).toBe(10);
  },

  async 'a revision is never reused across delete and re-create'({ service, collection }) {
    const seen: string[] = [];
    for (let round = 0; round < 15; round++) {
      seen.push((await service.save(collection, 'aba', { same: 'body' })).rev);
      seen.push((await service.save(collection, 'aba', { same: 'body' })).rev);
      await service.delete(collection, 'aba');
    }
    expect(new Set(seen).size).toBe(seen.length);
  },

  async 'a revision from before delete and re-create does not match (no ABA)'({
    service,
    collection,
  }) {
    const old = await service.save(collection, 'aba', { v: 1 });
    await service.delete(collection, 'aba');
    const fresh = await service.save(collection, 'aba', { v: 1 });
    await expectDatabaseError(
      service.save(collection, 'aba', { v: 2 }, { ifRev: old.rev }),
      'conflict',
    );
    await expectDatabaseError(service.delete(collection, 'aba', { ifRev: old.rev }), 'conflict');
    expectStored(await service.get(collection, 'aba'), { v: 1 }, 'aba', fresh.rev);
  },

  async 'ifRev equal to the stored revision writes'({ service, collection }) {
    const first = await service.save(collection, 'doc', { v: 1 });
    const second = await service.save(collection, 'doc', { v: 2 }, { ifRev: first.rev });
    expect(second.rev).not.toBe(first.rev);
    expectStored(await service.get(collection, 'doc'), { v: 2 }, 'doc', second.rev);
  },

  async 'a stale ifRev is 409 and changes nothing'({ service, collection }) {
    const first = await service.save(collection, 'doc', { v: 1 });
    const second = await service.save(collection, 'doc', { v: 2 });
    await expectDatabaseError(
      service.save(collection, 'doc', { v: 3 }, { ifRev: first.rev }),
      'conflict',
      {
        collection,
        id: 'doc',
      },
    );
    await expectDatabaseError(
      service.save(collection, 'doc', { v: 3 }, { ifRev: 'not-a-revision' }),
      'conflict',
    );
    expectStored(await service.get(collection, 'doc'), { v: 2 }, 'doc', second.rev);
  },

  async 'ifRev on a missing document is 409 and creates nothing'({ service, collection }) {
    await expectDatabaseError(
      service.save(collection, 'missing', { v: 1 }, { ifRev: '1-abc' }),
      'conflict',
      {
        collection,
        id: 'missing',
      },
    );
    await expectDatabaseError(service.get(collection, 'missing'), 'not_found');
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'ifRev null creates, and is 409 when the document exists'({ service, collection }) {
    const created = await service.save(collection, 'new', { v: 1 }, { ifRev: null });
    expectStored(await service.get(collection, 'new'), { v: 1 }, 'new', created.rev);
    await expectDatabaseError(
      service.save(collection, 'new', { v: 2 }, { ifRev: null }),
      'conflict',
      {
        collection,
        id: 'new',
      },
    );
    expectStored(await service.get(collection, 'new'), { v: 1 }, 'new', created.rev);
    await service.delete(collection, 'new');
    await expect(service.save(collection, 'new', { v: 3 }, { ifRev: null })).resolves.toMatchObject(
      { id: 'new' },
    );
  },

  async 'delete with a matching ifRev deletes; a mismatch is 409 and keeps the document'({
    service,
    collection,
  }) {
    const first = await service.save(collection, 'doc', { v: 1 });
    const second = await service.save(collection, 'doc', { v: 2 });
    await expectDatabaseError(service.delete(collection, 'doc', { ifRev: first.rev }), 'conflict', {
      collection,
      id: 'doc',
    });
    expectStored(await service.get(collection, 'doc'), { v: 2 }, 'doc', second.rev);
    await service.delete(collection, 'doc', { ifRev: second.rev });
    await expectDatabaseError(service.get(collection, 'doc'), 'not_found');
    await expectDatabaseError(
      service.delete(collection, 'doc', { ifRev: second.rev }),
      'not_found',
    );
  },

  async 'revisions are per document'({ service, collection }) {
    const a = await service.save(collection, 'a', { v: 1 });
    await service.save(collection, 'b', { v: 1 });
    await expectDatabaseError(
      service.save(collection, 'b', { v: 2 }, { ifRev: a.rev }),
      'conflict',
    );
  },
});

import { expect } from 'vitest';
import {
  describeOutcome,
  expectDatabaseError,
  expectNoReusedRevision,
  expectStored,
  outcomeCode,
} from './expectations';
import { defineCases } from './harness';

export const revisionCases = defineCases('revisions', {
  async 'every write gives a new non-empty revision string'({ service, collection }) {
    const writes: Array<{ rev: string; step: string }> = [];
    for (let i = 0; i < 10; i++) {
      const { rev } = await service.save(collection, 'doc', { i });
      expect(typeof rev, `the revision of write ${i + 1}`).toBe('string');
      expect(rev.length, `the revision of write ${i + 1}`).toBeGreaterThan(0);
      expect((await service.get(collection, 'doc'))._rev).toBe(rev);
      writes.push({ rev, step: i === 0 ? 'create' : 'overwrite' });
    }
    expectNoReusedRevision('doc', writes);
  },

  async 'a revision is never reused across delete and re-create'({ service, collection }) {
    const writes: Array<{ rev: string; step: string }> = [];
    for (let round = 1; round <= 15; round++) {
      const create = round === 1 ? 'create' : `re-create after delete ${round - 1}`;
      const { rev } = await service.save(collection, 'aba', { same: 'body' });
      writes.push({ rev, step: create });
      const again = await service.save(collection, 'aba', { same: 'body' });
      writes.push({ rev: again.rev, step: `same body again in round ${round}` });
      await service.delete(collection, 'aba');
    }
    expectNoReusedRevision('aba', writes);
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

  async 'ifRev with a real revision of a deleted document, or of another id, is 409 and creates nothing'({
    service,
    collection,
  }) {
    // Real, well-formed revisions: an adapter that refuses made-up ones early still has to
    // reach its missing-document path with these, and answer 409 there, not 404.
    const old = await service.save(collection, 'gone', { v: 1 });
    await service.delete(collection, 'gone');
    await expectDatabaseError(
      service.save(collection, 'gone', { v: 2 }, { ifRev: old.rev }),
      'conflict',
      { collection, id: 'gone' },
    );
    const other = await service.save(collection, 'other', { v: 1 });
    await expectDatabaseError(
      service.save(collection, 'never', { v: 1 }, { ifRev: other.rev }),
      'conflict',
      { collection, id: 'never' },
    );
    const batch = await service.saveMany(collection, [
      { id: 'gone', doc: { v: 3 }, ifRev: old.rev },
      { id: 'never', doc: { v: 3 }, ifRev: other.rev },
    ]);
    expect(batch.map(outcomeCode), batch.map(describeOutcome).join('; ')).toEqual([
      'conflict 409',
      'conflict 409',
    ]);
    await expectDatabaseError(service.get(collection, 'gone'), 'not_found');
    await expectDatabaseError(service.get(collection, 'never'), 'not_found');
    expect((await service.listAll(collection)).map((doc) => doc._id)).toEqual(['other']);
  },

  async 'delete with a real revision of a document that is gone, or of another id, is 404'({
    service,
    collection,
  }) {
    const old = await service.save(collection, 'gone', { v: 1 });
    await service.delete(collection, 'gone');
    await expectDatabaseError(service.delete(collection, 'gone', { ifRev: old.rev }), 'not_found', {
      collection,
      id: 'gone',
    });
    const other = await service.save(collection, 'other', { v: 1 });
    await expectDatabaseError(
      service.delete(collection, 'never', { ifRev: other.rev }),
      'not_found',
      { collection, id: 'never' },
    );
    expectStored(await service.get(collection, 'other'), { v: 1 }, 'other', other.rev);
  },

  async 'revisions are per document'({ service, collection }) {
    // The contract lets two ids show equal revision strings (CouchDB's are a hash of the
    // content and history, so 'a' and the first 'b' here may match). What it asks is that
    // ifRev is compared with this document's own revision.
    const a = await service.save(collection, 'a', { v: 1 });
    await service.save(collection, 'b', { v: 1 });
    const b = await service.save(collection, 'b', { v: 2 });
    if (a.rev !== b.rev) {
      await expectDatabaseError(
        service.save(collection, 'b', { v: 3 }, { ifRev: a.rev }),
        'conflict',
        { collection, id: 'b' },
      );
      await expectDatabaseError(service.delete(collection, 'b', { ifRev: a.rev }), 'conflict');
      await expectDatabaseError(
        service.save(collection, 'a', { v: 3 }, { ifRev: b.rev }),
        'conflict',
        { collection, id: 'a' },
      );
    }
    expectStored(await service.get(collection, 'b'), { v: 2 }, 'b', b.rev);
    const next = await service.save(collection, 'a', { v: 2 }, { ifRev: a.rev });
    expectStored(await service.get(collection, 'a'), { v: 2 }, 'a', next.rev);
  },
});

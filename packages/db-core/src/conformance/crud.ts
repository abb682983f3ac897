import { GOFANNON_COLLECTIONS } from '@gofannon/db-core';
import { expect } from 'vitest';
import { expectDatabaseError, expectStored } from './expectations';
import { sampleDoc } from './fixtures';
import { defineCases } from './harness';

export const crudCases = defineCases('CRUD', {
  async 'save then get returns the document with _id and _rev'({ service, collection }) {
    const written = await service.save(collection, 'one', sampleDoc(1));
    expect(written.id).toBe('one');
    expect(typeof written.rev).toBe('string');
    expectStored(await service.get(collection, 'one'), sampleDoc(1), 'one', written.rev);
  },

  async 'save without ifRev replaces the whole document'({ service, collection }) {
    await service.save(collection, 'doc', { keep: 1, drop: 2 });
    const second = await service.save(collection, 'doc', { keep: 3 });
    expectStored(await service.get(collection, 'doc'), { keep: 3 }, 'doc', second.rev);
  },

  async 'get of a missing document is 404 with collection and id'({ service, collection }) {
    await service.save(collection, 'present', sampleDoc(1));
    await expectDatabaseError(service.get(collection, 'absent'), 'not_found', {
      collection,
      id: 'absent',
    });
  },

  async 'get in an unknown collection is 404'({ service, collection }) {
    await expectDatabaseError(service.get(collection, 'x'), 'not_found', { collection, id: 'x' });
  },

  async 'delete removes the document'({ service, collection }) {
    await service.save(collection, 'gone', sampleDoc(1));
    await service.save(collection, 'stays', sampleDoc(2));
    await expect(service.delete(collection, 'gone')).resolves.toBeUndefined();
    await expectDatabaseError(service.get(collection, 'gone'), 'not_found');
    expectStored(await service.get(collection, 'stays'), sampleDoc(2), 'stays');
  },

  async 'delete of a missing document is 404'({ service, collection }) {
    await expectDatabaseError(service.delete(collection, 'never'), 'not_found', {
      collection,
      id: 'never',
    });
    await service.save(collection, 'once', sampleDoc(1));
    await service.delete(collection, 'once');
    await expectDatabaseError(service.delete(collection, 'once'), 'not_found', {
      collection,
      id: 'once',
    });
  },

  async 'a deleted document can be created again'({ service, collection }) {
    await service.save(collection, 'again', { v: 1 });
    await service.delete(collection, 'again');
    const recreated = await service.save(collection, 'again', { v: 2 });
    expectStored(await service.get(collection, 'again'), { v: 2 }, 'again', recreated.rev);
  },

  async '_id and _rev in the input are ignored'({ service, collection }) {
    const written = await service.save(collection, 'real', { _id: 'other', _rev: '9-fake', v: 1 });
    expect(written.id).toBe('real');
    expect(written.rev).not.toBe('9-fake');
    expectStored(await service.get(collection, 'real'), { v: 1 }, 'real', written.rev);
    await expectDatabaseError(service.get(collection, 'other'), 'not_found');
  },

  async 'read after write: a saved document is in the next listAll and list'({
    service,
    collection,
  }) {
    for (let i = 0; i < 5; i++) {
      const id = `raw-${i}`;
      await service.save(collection, id, sampleDoc(i));
      const all = await service.listAll(collection);
      expect(all.map((doc) => doc._id)).toContain(id);
      const page = await service.list(collection, { limit: 1000 });
      expect(page.documents.map((doc) => doc._id)).toContain(id);
    }
  },

  async 'collections are isolated from each other'({ service, collection, newCollection }) {
    const other = newCollection();
    const a = await service.save(collection, 'same', { in: 'first' });
    const b = await service.save(other, 'same', { in: 'second' });
    expectStored(await service.get(collection, 'same'), { in: 'first' }, 'same', a.rev);
    expectStored(await service.get(other, 'same'), { in: 'second' }, 'same', b.rev);
    await service.save(collection, 'only-first', {});
    await expectDatabaseError(service.get(other, 'only-first'), 'not_found');
    expect((await service.listAll(other)).map((doc) => doc._id)).toEqual(['same']);
    await service.delete(collection, 'same');
    expectStored(await service.get(other, 'same'), { in: 'second' }, 'same', b.rev);
  },

  async 'the six Gofannon collections work side by side'({ service }) {
    const id = `conformance-${Math.random().toString(36).slice(2)}`;
    try {
      for (const name of GOFANNON_COLLECTIONS) await service.save(name, id, { collection: name });
      for (const name of GOFANNON_COLLECTIONS)
        expectStored(await service.get(name, id), { collection: name }, id);
    } finally {
      for (const name of GOFANNON_COLLECTIONS)
        await service.delete(name, id).catch(() => undefined);
    }
  },
});

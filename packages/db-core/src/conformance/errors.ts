import { DatabaseError, isDatabaseError } from '@gofannon/db-core';
import { expect } from 'vitest';
import { expectDatabaseError, expectStored } from './expectations';
import { sampleDoc, untyped } from './fixtures';
import { defineCases } from './harness';

export const errorCases = defineCases('errors', {
  async 'errors are DatabaseErrors with status, code, message and JSON form'({
    service,
    collection,
  }) {
    const error = await expectDatabaseError(service.get(collection, 'missing'), 'not_found');
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof DatabaseError || isDatabaseError(error)).toBe(true);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ code: 'not_found', status: 404, collection, id: 'missing' });
    expect(json.stack).toBeUndefined();
  },

  async 'a 409 names the collection and id'({ service, collection }) {
    await service.save(collection, 'exists', sampleDoc(1));
    await expectDatabaseError(service.save(collection, 'exists', {}, { ifRev: null }), 'conflict', {
      collection,
      id: 'exists',
    });
  },

  async 'bad option objects are 400 and change nothing'({ service, collection }) {
    const { rev } = await service.save(collection, 'doc', sampleDoc(1));
    await expectDatabaseError(service.save(collection, 'doc', {}, untyped('opts')), 'invalid');
    await expectDatabaseError(service.save(collection, 'doc', {}, untyped([])), 'invalid');
    await expectDatabaseError(service.delete(collection, 'doc', untyped(5)), 'invalid');
    await expectDatabaseError(service.list(collection, untyped('all')), 'invalid');
    expectStored(await service.get(collection, 'doc'), sampleDoc(1), 'doc', rev);
  },

  async 'bad ifRev values are 400 and change nothing'({ service, collection }) {
    const { rev } = await service.save(collection, 'doc', sampleDoc(1));
    for (const ifRev of ['', 5, true, {}, []]) {
      await expectDatabaseError(
        service.save(collection, 'doc', { changed: true }, { ifRev: untyped(ifRev) }),
        'invalid',
      );
      await expectDatabaseError(
        service.delete(collection, 'doc', { ifRev: untyped(ifRev) }),
        'invalid',
      );
    }
    await expectDatabaseError(
      service.delete(collection, 'doc', { ifRev: untyped(null) }),
      'invalid',
    );
    expectStored(await service.get(collection, 'doc'), sampleDoc(1), 'doc', rev);
  },

  async 'batch arguments that are not arrays are 400'({ service, collection }) {
    await expectDatabaseError(service.getMany(collection, untyped('a')), 'invalid');
    await expectDatabaseError(
      service.saveMany(collection, untyped({ id: 'a', doc: {} })),
      'invalid',
    );
    await expectDatabaseError(service.deleteMany(collection, untyped(null)), 'invalid');
    expect(await service.listAll(collection)).toEqual([]);
  },
});

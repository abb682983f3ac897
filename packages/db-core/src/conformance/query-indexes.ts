import type { Query } from '@gofannon/db-core';
import { expect } from 'vitest';
import { expectDatabaseError } from './expectations';
import { defineCases } from './harness';
import { afterWrites, expectFound, findIds, saveAll } from './query-fixtures';

/** Tickets: status and priority, ordered by creation time. */
function tickets(): Record<string, object> {
  const docs: Record<string, object> = {};
  for (let i = 0; i < 30; i++) {
    docs[`t${String(i).padStart(2, '0')}`] = {
      status: ['open', 'closed', 'pending'][i % 3],
      priority: i % 2,
      created: 1000 - i * 10,
    };
  }
  return docs;
}

const BY_STATUS: Query = {
  where: [['status', '==', 'open']],
  orderBy: { field: 'created', direction: 'desc' },
};
const BY_STATUS_IDS = ['t00', 't03', 't06', 't09', 't12', 't15', 't18', 't21', 't24', 't27'];

export const queryIndexCases = defineCases('queries: indexes', {
  async 'requireIndex refuses a query no index serves, with index_required'(context) {
    const { service, collection } = context;
    await saveAll(service, collection, tickets());
    const error = await expectDatabaseError(
      service.find(collection, { ...BY_STATUS, requireIndex: true }),
      'index_required',
      { collection },
    );
    expect(error.message, 'the message names the fields the index needs').toMatch(
      /status.*created/,
    );
    // An index of the same fields in another order serves another query.
    await service.ensureIndex(collection, { fields: ['created', 'status'] });
    await expectDatabaseError(
      service.find(collection, { ...BY_STATUS, requireIndex: true }),
      'index_required',
      { collection },
    );
    // Queries on _id alone need no index: the collection's own order serves them.
    await afterWrites(context, () =>
      expectFound(service, collection, { where: [['_id', '>', 't27']], requireIndex: true }, [
        't28',
        't29',
      ]),
    );
  },

  async 'with its index, a requireIndex query runs and gives the same results'(context) {
    const { service, collection } = context;
    await saveAll(service, collection, tickets());
    const unindexed = await (async () => {
      let ids: string[] = [];
      await afterWrites(context, async () => {
        ids = await findIds(service, collection, { ...BY_STATUS, limit: 3 });
        expect(ids).toEqual(BY_STATUS_IDS);
      });
      return ids;
    })();
    await service.ensureIndex(collection, { fields: ['status', 'created'] });
    await afterWrites(context, () =>
      expectFound(service, collection, { ...BY_STATUS, limit: 3, requireIndex: true }, unindexed),
    );
    // Equality fields in any order, then the order field: [priority, status, created] and
    // [status, priority, created] serve the same query.
    await service.ensureIndex(collection, { fields: ['priority', 'status', 'created'] });
    const both: Query = {
      where: [
        ['status', 'in', ['open', 'pending']],
        ['priority', '==', 0],
      ],
      orderBy: { field: 'created' },
      limit: 2,
      requireIndex: true,
    };
    await afterWrites(context, () =>
      expectFound(service, collection, both, [
        't26',
        't24',
        't20',
        't18',
        't14',
        't12',
        't08',
        't06',
        't02',
        't00',
      ]),
    );
    // A range on the order field uses the same index.
    await afterWrites(context, () =>
      expectFound(
        service,
        collection,
        {
          where: [
            ['status', '==', 'open'],
            ['created', '<', 900],
            ['created', '>=', 790],
          ],
          requireIndex: true,
        },
        ['t21', 't18', 't15', 't12'],
      ),
    );
  },

  async 'ensureIndex is idempotent, safe to call concurrently, and never changes results'(context) {
    const { service, collection } = context;
    await saveAll(service, collection, tickets());
    const fields = ['status', 'created'];
    await Promise.all(Array.from({ length: 5 }, () => service.ensureIndex(collection, { fields })));
    await service.ensureIndex(collection, { fields });
    await service.ensureIndex(collection, { fields: [...fields] });
    await afterWrites(context, () =>
      expectFound(service, collection, { ...BY_STATUS, requireIndex: true }, BY_STATUS_IDS),
    );
    // Another service on the same backend may make the same index at the same time.
    await Promise.all([
      service.ensureIndex(collection, { fields: ['priority', 'created'] }),
      service.ensureIndex(collection, { fields: ['priority', 'created'] }),
      service.ensureIndex(collection, { fields: ['priority'] }),
    ]);
    await afterWrites(context, () =>
      expectFound(
        service,
        collection,
        { where: [['priority', '==', 1]], requireIndex: true, limit: 4 },
        Object.keys(tickets()).filter((_, i) => i % 2 === 1),
      ),
    );
  },

  async 'an index follows every write after it is made'(context) {
    const { service, collection } = context;
    await service.ensureIndex(collection, { fields: ['status', 'created'] });
    const query: Query = { ...BY_STATUS, requireIndex: true, limit: 2 };
    await afterWrites(context, () => expectFound(service, collection, query, []));
    await saveAll(service, collection, tickets());
    await afterWrites(context, () => expectFound(service, collection, query, BY_STATUS_IDS));
    // Moved out of the query, moved within it, given an array (left out), deleted, re-created.
    await service.save(collection, 't03', { status: 'closed', created: 970 });
    await service.save(collection, 't06', { status: 'open', created: 2000 });
    await service.save(collection, 't09', { status: 'open', created: [910] });
    await service.save(collection, 't12', { status: ['open'], created: 880 });
    await service.delete(collection, 't15');
    await service.deleteMany(collection, ['t18']);
    await service.save(collection, 'new', { status: 'open', created: 875 });
    await afterWrites(context, () =>
      expectFound(service, collection, query, ['t06', 't00', 'new', 't21', 't24', 't27']),
    );
    await service.save(collection, 't15', { status: 'open', created: 850 });
    await afterWrites(context, () =>
      expectFound(service, collection, query, ['t06', 't00', 'new', 't15', 't21', 't24', 't27']),
    );
  },
});

import type { Query, StoredDocument } from '@gofannon/db-core';
import { expect } from 'vitest';
import { labelled } from './expectations';
import { numberedIds, pageShape } from './fixtures';
import { defineCases } from './harness';
import {
  afterWrites,
  expectFound,
  expectFoundSet,
  findIds,
  findPages,
  saveAll,
} from './query-fixtures';

/** `count` documents `{ kind, n }`; every `every`-th one is a hit. */
function mixed(count: number, every: number): { docs: Record<string, object>; hits: string[] } {
  const docs: Record<string, object> = {};
  const hits: string[] = [];
  numberedIds(count, 'm').forEach((id, n) => {
    const hit = n % every === 0;
    docs[id] = { kind: hit ? 'hit' : 'miss', n };
    if (hit) hits.push(id);
  });
  return { docs, hits };
}

export const queryPagingCases = defineCases('queries: pages and walks', {
  async 'an unknown collection finds nothing'({ service, collection }) {
    for (const query of [
      {},
      { where: [['a', '==', 1]] },
      { orderBy: { field: 'a' }, limit: 1 },
    ] as Query[]) {
      expect(await service.find(collection, query)).toEqual({ documents: [], nextCursor: null });
    }
    expect(await service.find(collection)).toEqual({ documents: [], nextCursor: null });
  },

  async 'pages are filled: every page but the last holds limit documents'(context) {
    const { service, collection } = context;
    // 25 hits among 75 documents, one in three, so no backend page holds only hits.
    const { docs, hits } = mixed(75, 3);
    await saveAll(service, collection, docs);
    await afterWrites(context, async () => {
      for (const query of [
        { where: [['kind', '==', 'hit']] },
        { where: [['kind', '==', 'hit']], orderBy: { field: 'n', direction: 'desc' } },
        { where: [['n', '>=', 0]], orderBy: { field: 'n' } },
      ] as Query[]) {
        const pages = await findPages(service, collection, { ...query, limit: 10 });
        const total = query.where?.[0]?.[0] === 'kind' ? hits.length : 75;
        const expected = Array.from({ length: Math.ceil(total / 10) }, (_, i) =>
          i < Math.ceil(total / 10) - 1 ? '10+' : String(total - 10 * i),
        ).join(', ');
        expect(
          pageShape(pages),
          `page sizes of ${JSON.stringify(query)}, "+" where a cursor followed`,
        ).toBe(expected);
      }
      // A full last page ends the walk: no empty page after it.
      const twenty = await findPages(service, collection, { where: [['n', '<', 20]], limit: 10 });
      expect(pageShape(twenty), 'page sizes, "+" where a cursor followed').toBe('10+, 10');
      const first = await service.find(collection, { where: [['n', '>=', 0]] });
      expect(first.documents, 'the default page size').toHaveLength(75);
      expect(first.nextCursor).toBeNull();
    });
  },

  async 'a walk yields every document that matches throughout exactly once while others write'(
    context,
  ) {
    const { service, collection } = context;
    for (const direction of ['asc', 'desc'] as const) {
      const scope = `${collection}${direction === 'asc' ? '' : '-d'}`;
      const { docs, hits } = mixed(120, 2);
      await saveAll(service, scope, docs);
      const deleted = new Set<string>();
      let round = 0;
      const query: Query = {
        where: [['kind', '==', 'hit']],
        orderBy: { field: 'n', direction },
        limit: 7,
      };
      await afterWrites(context, async () => {
        expect(await findIds(service, scope, { ...query, limit: 1000 })).toHaveLength(hits.length);
      });
      const pages = await findPages(service, scope, query, async () => {
        round += 1;
        // New hits before and after the cursor, and at the cursor's own sort values.
        await service.save(scope, `new-low-${round}`, { kind: 'hit', n: -round });
        await service.save(scope, `new-high-${round}`, { kind: 'hit', n: 1000 + round });
        await service.save(scope, `new-tie-${round}`, { kind: 'hit', n: round * 2 });
        await service.save(scope, `new-miss-${round}`, { kind: 'miss', n: round });
        const victim = hits[(round * 37) % hits.length] as string;
        if (!deleted.has(victim)) {
          deleted.add(victim);
          await service.delete(scope, victim);
        }
        const updated = hits[(round * 53) % hits.length] as string;
        if (!deleted.has(updated)) {
          await service.save(scope, updated, { ...docs[updated], touched: round });
        }
      });
      const seen = pages.flatMap((page) => page.documents);
      const counts = new Map<string, number>();
      for (const doc of seen) counts.set(doc._id, (counts.get(doc._id) ?? 0) + 1);
      for (const id of hits)
        if (!deleted.has(id)) expect([direction, id, counts.get(id)]).toEqual([direction, id, 1]);
      for (const [id, count] of counts) expect([direction, id, count]).toEqual([direction, id, 1]);
      for (const doc of seen)
        expect([direction, doc._id, doc.kind]).toEqual([direction, doc._id, 'hit']);
      const ns = seen.map((doc: StoredDocument) => doc.n as number);
      const sorted = [...ns].sort((a, b) => (direction === 'asc' ? a - b : b - a));
      expect(ns, `n in ${direction} order`).toEqual(sorted);
    }
  },

  async 'a query reads its own writes'(context) {
    const { service, collection } = context;
    const query: Query = { where: [['status', '==', 'open']], orderBy: { field: 'at' } };
    await service.save(collection, 'a', { status: 'open', at: 2 });
    await afterWrites(context, () => expectFound(service, collection, query, ['a']));
    const { rev } = await service.save(collection, 'b', { status: 'open', at: 1 });
    await afterWrites(context, () => expectFound(service, collection, query, ['b', 'a']));
    await service.save(collection, 'b', { status: 'closed', at: 1 }, { ifRev: rev });
    await afterWrites(context, () => expectFound(service, collection, query, ['a']));
    await service.save(collection, 'a', { status: 'open', at: 3, note: 'moved' });
    await service.saveMany(collection, [
      { id: 'c', doc: { status: 'open', at: 4 } },
      { id: 'd', doc: { status: 'open', at: 0 } },
    ]);
    await afterWrites(context, () => expectFound(service, collection, query, ['d', 'a', 'c']));
    await service.delete(collection, 'a');
    await service.deleteMany(collection, ['d']);
    await afterWrites(context, () => expectFound(service, collection, query, ['c']));
  },

  async 'results spanning many backend pages come whole, in order, each once'(context) {
    const { service, collection, options } = context;
    const { docs, hits } = mixed(options.manyDocuments, 3);
    await saveAll(service, collection, docs);
    const descending = [...hits].reverse();
    await afterWrites(context, async () => {
      for (const limit of [1000, 333]) {
        await labelled(
          `pages of ${limit}`,
          expectFound(
            service,
            collection,
            { where: [['kind', '==', 'hit']], orderBy: { field: 'n', direction: 'desc' }, limit },
            descending,
          ),
        );
      }
      await expectFoundSet(
        service,
        collection,
        { where: [['kind', '==', 'miss']], limit: 1000 },
        Object.keys(docs).filter((id) => !hits.includes(id)),
      );
    });
  },

  async 'a cursor works with another page size of the same query'(context) {
    const { service, collection } = context;
    const { docs } = mixed(30, 1);
    await saveAll(service, collection, docs);
    const query: Query = { orderBy: { field: 'n' } };
    await afterWrites(context, async () => {
      const first = await service.find(collection, { ...query, limit: 5 });
      const rest = await service.find(collection, {
        ...query,
        limit: 100,
        cursor: first.nextCursor,
      });
      expect([...first.documents, ...rest.documents].map((doc) => doc._id)).toEqual(
        numberedIds(30, 'm'),
      );
      expect(rest.nextCursor).toBeNull();
    });
  },
});

/** Needs the `inspector` option, and is reported as skipped without it. */
export const queryInspectorCases = defineCases(
  'queries: pages and walks',
  {
    async 'queries of an unknown collection create nothing on the backend'({
      service,
      collection,
      options,
    }) {
      const inspector = options.inspector as NonNullable<typeof options.inspector>;
      await service.find(collection);
      await service.find(collection, { where: [['a', '==', 1]], orderBy: { field: 'a' } });
      expect(
        await inspector.collectionExists(collection, service),
        `the backend holds ${collection} after queries only`,
      ).toBe(false);
    },
  },
  { requires: 'inspector' },
);

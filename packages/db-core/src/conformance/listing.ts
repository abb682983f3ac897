import {
  type DatabaseService,
  encodeCursor,
  type ListPage,
  type StoredDocument,
} from '@gofannon/db-core';
import { expect } from 'vitest';
import { describeValue, expectDatabaseError, expectStored, labelled } from './expectations';
import { followCursors, numberedIds, pageShape, sampleDoc, sampleItems, untyped } from './fixtures';
import { defineCases } from './harness';

async function fill(
  service: DatabaseService,
  collection: string,
  ids: readonly string[],
): Promise<void> {
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const results = await service.saveMany(collection, sampleItems(chunk, start));
    expect(results.filter((r) => 'error' in r)).toEqual([]);
  }
}

/** Follows `nextCursor` to the end, calling `between` after each page; returns the pages. */
async function walkPages(
  service: DatabaseService,
  collection: string,
  limit: number,
  between: (page: ListPage) => Promise<void> = async () => {},
): Promise<ListPage[]> {
  return followCursors((cursor) => service.list(collection, { limit, cursor }), limit, between);
}

/** Every document of a walk, in the order the pages gave them. */
async function walk(
  service: DatabaseService,
  collection: string,
  limit: number,
  between?: (page: ListPage) => Promise<void>,
): Promise<StoredDocument[]> {
  return (await walkPages(service, collection, limit, between)).flatMap((page) => page.documents);
}

export const listingCases = defineCases('listing and pages', {
  async 'an unknown collection lists as empty'({ service, collection }) {
    expect(await service.listAll(collection)).toEqual([]);
    expect(await service.list(collection)).toEqual({ documents: [], nextCursor: null });
    expect(await service.getMany(collection, ['a', 'b'])).toEqual([null, null]);
    await expectDatabaseError(service.get(collection, 'a'), 'not_found');
  },

  async 'listAll returns exactly the stored documents, as get does'({ service, collection }) {
    const ids = numberedIds(25);
    for (const [i, id] of ids.entries()) await service.save(collection, id, sampleDoc(i));
    await service.delete(collection, 'doc-03');
    const all = await service.listAll(collection);
    expect(all.map((doc) => doc._id).sort()).toEqual(ids.filter((id) => id !== 'doc-03'));
    for (const doc of all) expect(doc).toStrictEqual(await service.get(collection, doc._id));
  },

  async 'list defaults to 100 documents and respects limit'({ service, collection }) {
    await fill(service, collection, numberedIds(150));
    const first = await service.list(collection);
    expect(first.documents).toHaveLength(100);
    expect(first.nextCursor).not.toBeNull();
    const second = await service.list(collection, { cursor: first.nextCursor });
    expect(second.documents).toHaveLength(50);
    expect(second.nextCursor).toBeNull();
    expect((await service.list(collection, { limit: 1 })).documents).toHaveLength(1);
    expect((await service.list(collection, { limit: 1000 })).documents).toHaveLength(150);
    for (const doc of first.documents)
      expectStored(doc, sampleDoc(Number(doc._id.slice(4))), doc._id);
  },

  async 'a walk whose size is a multiple of the page ends cleanly'({ service, collection }) {
    await fill(service, collection, numberedIds(20));
    const pages = await walkPages(service, collection, 10);
    // A full last page ends the walk: nextCursor is null when nothing follows, with no
    // empty page after it.
    expect(pageShape(pages), 'page sizes, "+" where a cursor followed').toBe('10+, 10');
    const seen = pages.flatMap((page) => page.documents.map((doc) => doc._id));
    expect(seen.sort()).toEqual(numberedIds(20));
  },

  async 'listing thousands of documents yields each exactly once'({
    service,
    collection,
    options,
  }) {
    const ids = numberedIds(options.manyDocuments);
    await fill(service, collection, ids);
    const all = await service.listAll(collection);
    expect(all.map((doc) => doc._id).sort()).toEqual(ids);
    for (const limit of [1000, 333]) {
      const walked = await walk(service, collection, limit);
      expect(walked.map((doc) => doc._id).sort()).toEqual(ids);
    }
  },

  async 'documents present for the whole walk are seen exactly once despite writes in between'({
    service,
    collection,
  }) {
    const ids = numberedIds(120);
    await fill(service, collection, ids);
    const deleted = new Set<string>();
    let round = 0;
    const seen = await walk(service, collection, 9, async () => {
      round += 1;
      await service.save(collection, `doc-${String(round).padStart(3, '0')}-inserted`, { round });
      await service.save(collection, `aaa-${round}`, { round });
      await service.save(collection, `zzz-${round}`, { round });
      const victim = ids[(round * 37) % ids.length] as string;
      if (!deleted.has(victim)) {
        deleted.add(victim);
        await service.delete(collection, victim);
      }
      const updated = ids[(round * 53) % ids.length] as string;
      if (!deleted.has(updated)) await service.save(collection, updated, { updated: round });
    });
    const counts = new Map<string, number>();
    for (const doc of seen) counts.set(doc._id, (counts.get(doc._id) ?? 0) + 1);
    for (const id of ids) if (!deleted.has(id)) expect([id, counts.get(id)]).toEqual([id, 1]);
    for (const [id, count] of counts) expect([id, count]).toEqual([id, 1]);
  },

  async 'limit must be an integer from 1 to 1000'({ service, collection }) {
    await service.save(collection, 'a', {});
    for (const limit of [0, -1, 1001, 1.5, Number.NaN, '10', null]) {
      await expectDatabaseError(service.list(collection, { limit: untyped(limit) }), 'invalid', {
        collection,
      });
    }
  },

  async 'a cursor of this collection whose position cannot be one is 400'({ service, collection }) {
    await fill(service, collection, numberedIds(5));
    // The envelope is valid, so only the adapter can tell: no id and no backend key is
    // empty or has a lone surrogate, whatever an adapter's positions look like.
    for (const position of ['', '\ud800', 'doc-1\udc00']) {
      const cursor = encodeCursor(collection, position);
      await labelled(
        `a cursor of position ${describeValue(position)}`,
        expectDatabaseError(service.list(collection, { cursor }), 'invalid', { collection }),
      );
    }
  },

  async 'a bad cursor is 400'({ service, collection, newCollection }) {
    await fill(service, collection, numberedIds(5));
    const other = newCollection();
    await fill(service, other, numberedIds(5));
    const foreign = (await service.list(other, { limit: 2 })).nextCursor;
    expect(foreign).not.toBeNull();
    const forged = Buffer.from('{"after":"doc-1"}').toString('base64url');
    for (const cursor of ['garbage', '', '!!!', forged, foreign, 42, {}]) {
      await expectDatabaseError(service.list(collection, { cursor: untyped(cursor) }), 'invalid', {
        collection,
      });
    }
  },

  async 'pages stay full after more than a page of deletes, and an emptied collection lists as empty'({
    service,
    collection,
  }) {
    const ids = numberedIds(40);
    await fill(service, collection, ids);
    // More than two pages of 10 go, the whole first stretch and some further on, one by
    // one and in a batch: deleted documents left in a listing index show as short pages.
    const doomed = ids.filter((_, i) => i < 20 || i % 3 === 0);
    const one = doomed.filter((_, i) => i % 2 === 0);
    for (const id of one) await service.delete(collection, id);
    await service.deleteMany(
      collection,
      doomed.filter((id) => !one.includes(id)),
    );
    const remaining = ids.filter((id) => !doomed.includes(id));
    const pages = await walkPages(service, collection, 10);
    expect(pageShape(pages), 'page sizes, "+" where a cursor followed').toBe('10+, 3');
    expect(pages.flatMap((page) => page.documents.map((doc) => doc._id)).sort()).toEqual(remaining);
    await service.deleteMany(collection, remaining);
    expect(await service.list(collection, { limit: 10 })).toEqual({
      documents: [],
      nextCursor: null,
    });
    expect(await service.list(collection)).toEqual({ documents: [], nextCursor: null });
    expect(await service.listAll(collection)).toEqual([]);
  },
});

/** These need the `inspector` option, and are reported as skipped without it. */
export const inspectorCases = defineCases(
  'listing and pages',
  {
    async 'reads of an unknown collection create nothing on the backend'({
      service,
      collection,
      options,
    }) {
      const inspector = options.inspector as NonNullable<typeof options.inspector>;
      await service.listAll(collection);
      await service.list(collection);
      await service.getMany(collection, ['a']);
      await service.get(collection, 'a').catch(() => undefined);
      expect(
        await inspector.collectionExists(collection, service),
        `the backend holds ${collection} after reads only`,
      ).toBe(false);
    },

    async 'the first write creates the collection'({ service, collection, options }) {
      const inspector = options.inspector as NonNullable<typeof options.inspector>;
      await service.save(collection, 'first', {});
      expect(
        await inspector.collectionExists(collection, service),
        `the backend holds ${collection} after a save`,
      ).toBe(true);
      expect(await service.listAll(collection)).toHaveLength(1);
    },
  },
  { requires: 'inspector' },
);

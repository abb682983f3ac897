import { expect } from 'vitest';
import { expectDatabaseError, expectStored } from './expectations';
import { HOSTILE_IDS, untyped } from './fixtures';
import { defineCases } from './harness';

const INVALID_COLLECTIONS: unknown[] = [
  '',
  'A',
  'Agents',
  '1agents',
  '_agents',
  '-agents',
  'a.b',
  'a/b',
  'a b',
  ' agents',
  'agents ',
  'ágents',
  'a'.repeat(65),
  'a\u0000',
  42,
  null,
  undefined,
  {},
];

const INVALID_IDS: unknown[] = [
  '',
  'x'.repeat(513),
  `${'😀'.repeat(128)}x`,
  'a\u0000b',
  '\u0000',
  'lone \ud800 surrogate',
  '\udc00',
  42,
  null,
  undefined,
  {},
  ['a'],
];

export const nameAndIdCases = defineCases('names and ids', {
  async 'valid collection names of every shape work'({ service, collection }) {
    const names = [
      `${collection}-x`,
      `${collection}_y`,
      `z${collection.slice(0, 62)}9`,
      'a'.repeat(64).replace(/^a{12}/, collection.slice(0, 12)),
    ];
    for (const name of names) {
      const { rev } = await service.save(name, 'id', { name });
      expectStored(await service.get(name, 'id'), { name }, 'id', rev);
      await service.delete(name, 'id');
    }
  },

  async 'invalid collection names are 400 on every method'({ service }) {
    for (const name of INVALID_COLLECTIONS) {
      const c = untyped(name);
      await expectDatabaseError(service.get(c, 'id'), 'invalid');
      await expectDatabaseError(service.save(c, 'id', {}), 'invalid');
      await expectDatabaseError(service.delete(c, 'id'), 'invalid');
      await expectDatabaseError(service.listAll(c), 'invalid');
      await expectDatabaseError(service.list(c), 'invalid');
      await expectDatabaseError(service.getMany(c, ['id']), 'invalid');
      await expectDatabaseError(service.saveMany(c, [{ id: 'id', doc: {} }]), 'invalid');
      await expectDatabaseError(service.deleteMany(c, ['id']), 'invalid');
    }
  },

  async 'hostile ids are stored and returned unchanged'({ service, collection }) {
    const revs = new Map<string, string>();
    for (const id of HOSTILE_IDS) {
      const written = await service.save(collection, id, { id });
      expect(written.id).toBe(id);
      revs.set(id, written.rev);
    }
    for (const id of HOSTILE_IDS)
      expectStored(await service.get(collection, id), { id }, id, revs.get(id));
    const listed = await service.listAll(collection);
    expect(listed.map((doc) => doc._id).sort()).toEqual([...HOSTILE_IDS].sort());
    for (const doc of listed) expect(doc.id).toBe(doc._id);
  },

  async 'hostile ids work in batches, pages and deletes'({ service, collection }) {
    const results = await service.saveMany(
      collection,
      HOSTILE_IDS.map((id) => ({ id, doc: { id } })),
    );
    expect(results.map((r) => ('rev' in r ? r.id : `failed: ${r.id}`))).toEqual([...HOSTILE_IDS]);
    const got = await service.getMany(collection, HOSTILE_IDS);
    expect(got.map((doc) => doc?._id)).toEqual([...HOSTILE_IDS]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof service.list>> = await service.list(collection, {
        limit: 7,
        cursor,
      });
      seen.push(...page.documents.map((doc) => doc._id));
      cursor = page.nextCursor;
      pages += 1;
      // A walk that never ends would never yield on an in-process adapter: stop it here.
      expect(pages, 'pages of 7 before the walk ended').toBeLessThanOrEqual(
        Math.ceil(HOSTILE_IDS.length / 7) + 1,
      );
    } while (cursor);
    expect(seen.sort()).toEqual([...HOSTILE_IDS].sort());
    const half = HOSTILE_IDS.filter((_, i) => i % 2 === 0);
    for (const id of half) await service.delete(collection, id);
    const deleted = await service.deleteMany(
      collection,
      HOSTILE_IDS.filter((_, i) => i % 2 === 1),
    );
    expect(deleted.every((r) => !('error' in r))).toBe(true);
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'ids that differ only in case or Unicode normalisation are different documents'({
    service,
    collection,
  }) {
    await service.save(collection, 'Case', { v: 'upper' });
    await service.save(collection, 'case', { v: 'lower' });
    await service.save(collection, 'é', { v: 'nfc' });
    await service.save(collection, 'e\u0301', { v: 'nfd' });
    expect((await service.get(collection, 'Case')).v).toBe('upper');
    expect((await service.get(collection, 'case')).v).toBe('lower');
    expect((await service.get(collection, 'é')).v).toBe('nfc');
    expect((await service.get(collection, 'e\u0301')).v).toBe('nfd');
    expect(await service.listAll(collection)).toHaveLength(4);
  },

  async 'invalid ids are 400 on every method and nothing is stored'({ service, collection }) {
    for (const bad of INVALID_IDS) {
      const id = untyped(bad);
      await expectDatabaseError(service.get(collection, id), 'invalid', { collection });
      await expectDatabaseError(service.save(collection, id, { v: 1 }), 'invalid', { collection });
      await expectDatabaseError(service.delete(collection, id), 'invalid', { collection });
      await expectDatabaseError(service.getMany(collection, [id]), 'invalid', { collection });
      const [saved] = await service.saveMany(collection, [{ id, doc: { v: 1 } }]);
      expect(saved && 'error' in saved && saved.error.code).toBe('invalid');
      const [deleted] = await service.deleteMany(collection, [id]);
      expect(deleted && 'error' in deleted && deleted.error.code).toBe('invalid');
    }
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'an id of exactly 512 UTF-8 bytes works, 513 is 400'({ service, collection }) {
    const ids = ['x'.repeat(512), 'é'.repeat(256), '😀'.repeat(128), `${'x'.repeat(509)}日`];
    for (const id of ids) {
      await service.save(collection, id, { ok: true });
      expect((await service.get(collection, id))._id).toBe(id);
    }
    for (const id of ['x'.repeat(513), `${'é'.repeat(256)}x`, `${'x'.repeat(510)}日`]) {
      await expectDatabaseError(service.save(collection, id, {}), 'invalid');
    }
    expect(service.capabilities.maxIdBytes).toBe(512);
  },
});

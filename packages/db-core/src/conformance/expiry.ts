import type { DatabaseService } from '@gofannon/db-core';
import { expect } from 'vitest';
import { expectDatabaseError } from './expectations';
import { type CaseContext, defineCases } from './harness';

const MINUTE = 60_000;

/** Skips unless the adapter stores expiring documents; checks that it runs on the suite's clock. */
async function expiring(context: CaseContext): Promise<DatabaseService> {
  const { service, collection, clock } = context;
  if (service.capabilities.expiry !== true) {
    context.skip('the adapter does not declare capabilities.expiry');
  }
  // A document expiring a minute from now by the suite's clock, which the real clock
  // passes only if the adapter ignored the clock it was given.
  await service.save(collection, 'clock-probe', {}, { expiresAt: clock.now() - 1 });
  await expect(
    service.get(collection, 'clock-probe'),
    'create(settings) must pass settings.clock to the service as its clock option',
  ).rejects.toMatchObject({ status: 404 });
  await service.save(collection, 'clock-probe', {}, { expiresAt: clock.now() + MINUTE });
  await service.get(collection, 'clock-probe');
  await service.delete(collection, 'clock-probe');
  return service;
}

export const expiryCases = defineCases('expiry', {
  async 'a read shows _expiresAt as ISO UTC, from a string, a Date or epoch ms'(context) {
    const { collection, clock } = context;
    const service = await expiring(context);
    const at = clock.now() + MINUTE;
    const iso = new Date(at).toISOString();
    const offset = new Date(at + 2 * MINUTE).toISOString().replace('Z', '+00:00');
    await service.save(collection, 'ms', { n: 1 }, { expiresAt: at });
    await service.save(collection, 'date', { n: 2 }, { expiresAt: new Date(at) });
    await service.save(collection, 'iso', { n: 3 }, { expiresAt: offset });
    expect((await service.get(collection, 'ms'))._expiresAt).toBe(iso);
    expect((await service.get(collection, 'date'))._expiresAt).toBe(iso);
    expect((await service.get(collection, 'iso'))._expiresAt).toBe(
      new Date(at + 2 * MINUTE).toISOString(),
    );
    // A save without expiresAt keeps the document until it is deleted.
    await service.save(collection, 'ms', { n: 4 });
    const kept = await service.get(collection, 'ms');
    expect(kept._expiresAt).toBeUndefined();
    expect(kept.n).toBe(4);
    // A document sent back as it was read keeps nothing of the old expiry.
    const read = await service.get(collection, 'date');
    await service.save(collection, 'date', read);
    expect((await service.get(collection, 'date'))._expiresAt).toBeUndefined();
  },

  async 'nonsense is 400 and nothing is stored; a time in the past is expired at once'(context) {
    const { collection, clock } = context;
    const service = await expiring(context);
    for (const bad of [
      'tomorrow',
      '2026-13-01T00:00:00Z',
      '2026-01-01',
      new Date(Number.NaN),
      Number.POSITIVE_INFINITY,
      9e15,
      {},
      true,
    ]) {
      await expectDatabaseError(
        service.save(collection, 'bad', { n: 1 }, { expiresAt: bad as never }),
        'invalid',
      );
    }
    await expectDatabaseError(service.get(collection, 'bad'), 'not_found');
    const [item] = await service.saveMany(collection, [
      { id: 'bad', doc: {}, expiresAt: 'later' as never },
    ]);
    expect(item && 'error' in item && item.error.code).toBe('invalid');
    await service.save(collection, 'past', { n: 1 }, { expiresAt: clock.now() - MINUTE });
    await expectDatabaseError(service.get(collection, 'past'), 'not_found');
  },

  async 'from its instant on, every read path skips it'(context) {
    const { collection, clock } = context;
    const service = await expiring(context);
    const at = clock.now() + MINUTE;
    await service.save(collection, 'a-lives', { kind: 'x', n: 1 });
    await service.save(collection, 'b-expires', { kind: 'x', n: 2 }, { expiresAt: at });
    await service.save(collection, 'c-lives', { kind: 'x', n: 3 });
    clock.advance(MINUTE - 1);
    expect((await service.get(collection, 'b-expires')).n).toBe(2);
    clock.advance(1);
    await expectDatabaseError(service.get(collection, 'b-expires'), 'not_found', {
      collection,
      id: 'b-expires',
    });
    expect(
      (await service.getMany(collection, ['a-lives', 'b-expires'])).map((doc) => doc?._id ?? null),
    ).toEqual(['a-lives', null]);
    const ids = (documents: Array<{ _id: string }>) => documents.map((doc) => doc._id);
    expect(ids((await service.list(collection)).documents)).toEqual(['a-lives', 'c-lives']);
    expect(ids(await service.listAll(collection))).toEqual(['a-lives', 'c-lives']);
    expect(
      ids((await service.find(collection, { where: [['kind', '==', 'x']] })).documents),
    ).toEqual(['a-lives', 'c-lives']);
    // Paging past it, one document a page: no page repeats or skips a live one.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await service.list(collection, { limit: 1, cursor });
      seen.push(...ids(page.documents));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['a-lives', 'c-lives']);
    const found: string[] = [];
    cursor = null;
    do {
      const page = await service.find(collection, {
        where: [['kind', '==', 'x']],
        orderBy: { field: 'n', direction: 'desc' },
        limit: 1,
        cursor,
      });
      found.push(...ids(page.documents));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(found).toEqual(['c-lives', 'a-lives']);
  },

  async 'create-only over an expired document succeeds with a revision never used'(context) {
    const { collection, clock } = context;
    const service = await expiring(context);
    const first = await service.save(collection, 'doc', { v: 1 }, { expiresAt: clock.now() + 1 });
    await expectDatabaseError(
      service.save(collection, 'doc', { v: 2 }, { ifRev: null }),
      'conflict',
    );
    clock.advance(1);
    const second = await service.save(collection, 'doc', { v: 3 }, { ifRev: null });
    expect(second.rev).not.toBe(first.rev);
    const stored = await service.get(collection, 'doc');
    expect(stored).toMatchObject({ v: 3, _rev: second.rev });
    expect(stored._expiresAt).toBeUndefined();
  },

  async 'ifRev of an expired document is 409, and delete of one is 404'(context) {
    const { collection, clock } = context;
    const service = await expiring(context);
    const { rev } = await service.save(collection, 'doc', { v: 1 }, { expiresAt: clock.now() + 1 });
    await service.save(collection, 'other', { v: 1 }, { expiresAt: clock.now() + 1 });
    clock.advance(1);
    await expectDatabaseError(
      service.save(collection, 'doc', { v: 2 }, { ifRev: rev }),
      'conflict',
    );
    await expectDatabaseError(service.delete(collection, 'doc', { ifRev: rev }), 'not_found');
    await expectDatabaseError(service.delete(collection, 'doc'), 'not_found');
    const [deleted] = await service.deleteMany(collection, ['other']);
    expect(deleted && 'error' in deleted && deleted.error.code).toBe('not_found');
    // Nothing came back.
    await expectDatabaseError(service.get(collection, 'doc'), 'not_found');
  },

  async 'saveMany gives each item its own expiry'(context) {
    const { collection, clock } = context;
    const service = await expiring(context);
    const now = clock.now();
    const results = await service.saveMany(collection, [
      { id: 'soon', doc: { v: 1 }, expiresAt: now + 1 },
      { id: 'later', doc: { v: 2 }, expiresAt: new Date(now + MINUTE) },
      { id: 'never', doc: { v: 3 } },
    ]);
    expect(results.every((result) => 'rev' in result)).toBe(true);
    clock.advance(1);
    const docs = await service.getMany(collection, ['soon', 'later', 'never']);
    expect(docs.map((doc) => doc?._id ?? null)).toEqual([null, 'later', 'never']);
    expect(docs[1]?._expiresAt).toBe(new Date(now + MINUTE).toISOString());
    expect(docs[2]?._expiresAt).toBeUndefined();
  },

  async 'purgeExpired deletes the expired, and not one saved again after it expired'(context) {
    const { collection, clock } = context;
    const service = await expiring(context);
    const now = clock.now();
    await service.saveMany(collection, [
      { id: 'gone-1', doc: {}, expiresAt: now + 1 },
      { id: 'gone-2', doc: {}, expiresAt: now + 1 },
      { id: 'resaved', doc: { v: 1 }, expiresAt: now + 1 },
      { id: 'later', doc: {}, expiresAt: now + MINUTE },
      { id: 'never', doc: {} },
    ]);
    clock.advance(1);
    // Saved again after it expired: a purge that saw the old revision must not delete it.
    const resaved = await service.save(collection, 'resaved', { v: 2 });
    expect(await service.purgeExpired(collection)).toBe(2);
    expect(await service.purgeExpired(collection)).toBe(0);
    expect(await service.get(collection, 'resaved')).toMatchObject({ v: 2, _rev: resaved.rev });
    expect((await service.listAll(collection)).map((doc) => doc._id).sort()).toEqual([
      'later',
      'never',
      'resaved',
    ]);
    expect(await service.purgeExpired(context.newCollection())).toBe(0);
  },
});

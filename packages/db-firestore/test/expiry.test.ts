// Expiring documents as only this adapter stores them, on the emulator: the Timestamp field
// a TTL policy goes by (as a raw client sees it), reads that never show it, the expiry in
// the revision (so that a write at a revision reads nothing, counted on the wire), and the
// purge's conditional deletes racing re-saves and other purges. The contract's cases run
// in the conformance suite.
import { createServer } from 'node:net';
import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import {
  type FirestoreEmulator,
  type GrpcRequestCounter,
  startGrpcRequestCounter,
  useEmulatorEnvironment,
  useFirestoreEmulator,
} from '@gofannon/test-support';
import { type Firestore, Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreDatabaseService, type FirestoreOptions } from '../src';
import { documentSize } from '../src/document-size';
import { EXPIRES_FIELD, EXPIRES_MS_FIELD, expiryFields } from '../src/expiry';
import { fromRevision, toRevision, writeTag } from '../src/revisions';
import { rawFirestore } from './support/firestore-inspector';
import { missingEmulator } from './support/skip-without-emulator';
import { withoutEmulatorVariable } from './support/without-emulator-variable';

const MINUTE = 60_000;
/** Over one purge page (500), so that the purge reads a second. */
const MANY = 620;

describe.skipIf(missingEmulator)('Firestore expiry on the emulator', () => {
  let emulator: FirestoreEmulator;
  let raw: Firestore;
  const services: FirestoreDatabaseService[] = [];
  const counters: GrpcRequestCounter[] = [];
  /** The clock every service of a test reads: moved by hand, never waited for. */
  let now = Date.parse('2026-06-01T12:00:00.000Z');

  beforeAll(async () => {
    emulator = await useFirestoreEmulator();
    useEmulatorEnvironment(emulator);
    raw = rawFirestore(emulator);
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    for (const counter of counters) await counter.close();
    await raw?.terminate();
    await emulator?.close();
  });

  function service(options: FirestoreOptions = {}): FirestoreDatabaseService {
    const created = new FirestoreDatabaseService({
      firestore: { projectId: emulator.projectId },
      timeoutMs: 30_000,
      clock: () => now,
      ...options,
    });
    services.push(created);
    return created;
  }

  /**
   * A service whose calls pass a gRPC request counter, each HTTP/2 stream one call: `calls`
   * tells how many calls some work made. Closed with the others.
   */
  async function countedService() {
    const counter = await startGrpcRequestCounter(emulator.host);
    const db = withoutEmulatorVariable(
      () =>
        new FirestoreDatabaseService({
          firestore: { projectId: emulator.projectId, host: counter.url, ssl: false },
          timeoutMs: 30_000,
          clock: () => now,
        }),
    );
    services.push(db);
    counters.push(counter);
    const calls = async (work: () => Promise<unknown>): Promise<number> => {
      const before = counter.requests();
      await work();
      return counter.requests() - before;
    };
    return { db, calls, counter };
  }

  /**
   * Writes `at` as the expiry on every write path: upsert, create, a write at a revision
   * (with v: 2), saveMany's upsert and create, and `many-never` without one (v: 1 else).
   * Resolves with the ids that expire.
   */
  async function writeEveryWay(
    db: FirestoreDatabaseService,
    collection: string,
    at: number,
  ): Promise<string[]> {
    await db.save(collection, 'upsert', { v: 1 }, { expiresAt: at });
    await db.save(collection, 'create', { v: 1 }, { expiresAt: new Date(at), ifRev: null });
    const { rev } = await db.save(collection, 'if-rev', { v: 1 });
    await db.save(collection, 'if-rev', { v: 2 }, { expiresAt: at, ifRev: rev });
    await db.saveMany(collection, [
      { id: 'many-upsert', doc: {}, expiresAt: at },
      { id: 'many-create', doc: {}, expiresAt: at, ifRev: null },
      { id: 'many-never', doc: {} },
    ]);
    return ['upsert', 'create', 'if-rev', 'many-upsert', 'many-create'];
  }

  async function rawFields(collection: string, id: string) {
    return (await raw.collection(collection).doc(id).get()).data();
  }

  async function rawIds(collection: string): Promise<string[]> {
    const { docs } = await raw.collection(collection).get();
    return docs.map((doc) => doc.id).sort();
  }

  async function saveExpired(db: FirestoreDatabaseService, collection: string, count: number) {
    for (let start = 0; start < count; start += 500) {
      const items = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        items.push({ id: `doc-${String(i).padStart(4, '0')}`, doc: { i }, expiresAt: now + 1 });
      }
      const results = await db.saveMany(collection, items);
      expect(results.every((result) => 'rev' in result)).toBe(true);
    }
    now += 1;
  }

  it('stores the expiry as a Timestamp on every write path, and none without one', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    for (const id of await writeEveryWay(db, collection, at)) {
      const stored = (await rawFields(collection, id))?.[EXPIRES_FIELD];
      expect(stored, id).toBeInstanceOf(Timestamp);
      expect((stored as Timestamp).toMillis(), id).toBe(at);
    }
    expect(await rawFields(collection, 'many-never')).not.toHaveProperty(EXPIRES_FIELD);
    // A save without expiresAt clears the field.
    await db.save(collection, 'upsert', { v: 2 });
    expect(await rawFields(collection, 'upsert')).not.toHaveProperty(EXPIRES_FIELD);
  });

  it('refuses with 400 an expiry a Timestamp cannot hold (after year 9999 or before year 1), storing nothing', async () => {
    const db = service();
    const collection = randomCollection();
    const far = '+010000-01-01T00:00:00.000Z';
    const early = Date.parse('0001-01-01T00:00:00.000Z') - 1;
    await expectDatabaseError(db.save(collection, 'far', { v: 1 }, { expiresAt: far }), 'invalid');
    await expectDatabaseError(
      db.save(collection, 'early', { v: 1 }, { expiresAt: early, ifRev: null }),
      'invalid',
    );
    const results = await db.saveMany(collection, [
      { id: 'far', doc: {}, expiresAt: far },
      { id: 'fine', doc: {}, expiresAt: '9999-12-31T23:59:59.999Z' },
    ]);
    expect(results[0]).toMatchObject({ id: 'far', error: { status: 400, code: 'invalid' } });
    expect(results[1]).toMatchObject({ id: 'fine', rev: expect.any(String) });
    expect(await rawFields(collection, 'far')).toBeUndefined();
    expect(await rawFields(collection, 'early')).toBeUndefined();
    expect((await db.get(collection, 'fine'))._expiresAt).toBe('9999-12-31T23:59:59.999Z');
  });

  it('shows the expiry as the ISO string on every read, never the Timestamp or the tag', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    const iso = new Date(at).toISOString();
    await db.save(collection, 'a', { kind: 'x' }, { expiresAt: at });
    const expected = { _id: 'a', kind: 'x', _expiresAt: iso };
    expect(await db.get(collection, 'a')).toMatchObject(expected);
    const reads = [
      await db.get(collection, 'a'),
      ...(await db.getMany(collection, ['a'])),
      ...(await db.list(collection)).documents,
      ...(await db.listAll(collection)),
      ...(await db.find(collection, { where: [['kind', '==', 'x']] })).documents,
      ...(await db.find(collection, { orderBy: { field: 'kind', direction: 'desc' } })).documents,
    ];
    expect(reads).toHaveLength(6);
    for (const read of reads) {
      expect(read).toMatchObject(expected);
      expect(Object.keys(read ?? {}).sort()).toEqual(['_expiresAt', '_id', '_rev', 'kind']);
      expect(typeof read?._expiresAt).toBe('string');
    }
  });

  it('leaves documents written without the field alone: read, written and never purged', async () => {
    const db = service();
    const collection = randomCollection();
    // As the Python service writes a session: its own expires_at, no expiry field.
    await raw
      .collection(collection)
      .doc('python')
      .set({ expires_at: new Date(now - MINUTE).toISOString(), _write: writeTag() });
    const read = await db.get(collection, 'python');
    expect(read._expiresAt).toBeUndefined();
    expect(await db.purgeExpired(collection)).toBe(0);
    expect(await rawIds(collection)).toEqual(['python']);
    await db.save(collection, 'python', { v: 2 }, { ifRev: read._rev });
    expect(await rawFields(collection, 'python')).not.toHaveProperty(EXPIRES_FIELD);
  });

  it('purges only what expired, page after page, by the service clock', async () => {
    const db = service();
    const collection = randomCollection();
    await saveExpired(db, collection, MANY);
    await db.saveMany(collection, [
      { id: 'later', doc: {}, expiresAt: now + MINUTE },
      { id: 'never', doc: {} },
    ]);
    expect(await db.purgeExpired(collection)).toBe(MANY);
    expect(await rawIds(collection)).toEqual(['later', 'never']);
    expect(await db.purgeExpired(collection)).toBe(0);
  });

  it('keeps every document saved again while the purge runs', async () => {
    const db = service();
    const collection = randomCollection();
    await saveExpired(db, collection, MANY);
    const ids = Array.from({ length: MANY }, (_, i) => `doc-${String(i).padStart(4, '0')}`);
    // Every other document, saved again (no expiry) while the purge reads and deletes: each
    // is either saved before the purge read it (no longer expired) or after (its delete at
    // the update time read fails). Which, the race decides; that it stays, never.
    const resaved = ids.filter((_, i) => i % 2 === 1);
    const [purged, revs] = await Promise.all([
      db.purgeExpired(collection),
      Promise.all(resaved.map((id) => db.save(collection, id, { again: true }))),
    ]);
    const left = await rawIds(collection);
    expect(left).toEqual(resaved);
    expect(purged).toBe(MANY - resaved.length);
    const stored = await db.getMany(collection, resaved);
    expect(stored.map((doc) => doc?._rev)).toEqual(revs.map((result) => result.rev));
  });

  it('deletes each document once when two services purge at once', async () => {
    const collection = randomCollection();
    const first = service();
    const second = service();
    await saveExpired(first, collection, MANY);
    const counts = await Promise.all([
      first.purgeExpired(collection),
      second.purgeExpired(collection),
      first.purgeExpired(collection),
    ]);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(MANY);
    expect(await rawIds(collection)).toEqual([]);
  });

  it('keeps a document saved again between the purge query and its delete', async () => {
    const collection = randomCollection();
    const db = service();
    const { db: purger, counter } = await countedService();
    try {
      await db.saveMany(collection, [
        { id: 'resaved', doc: { v: 1 }, expiresAt: now + 1 },
        { id: 'gone', doc: {}, expiresAt: now + 1 },
      ]);
      now += 1;
      // The purge's query passes; its delete waits at the proxy while the document is
      // saved again, so the page's commit fails and each document is deleted on its own.
      const before = counter.requests();
      const purging = purger.purgeExpired(collection);
      await counter.reached(before + 1);
      counter.hold();
      await counter.reached(before + 2);
      const resaved = await db.save(collection, 'resaved', { v: 2 });
      counter.release();
      expect(await purging).toBe(1);
      expect(await rawIds(collection)).toEqual(['resaved']);
      expect(await db.get(collection, 'resaved')).toMatchObject({ v: 2, _rev: resaved.rev });
    } finally {
      // A failed assertion must not leave the counter holding the purge's delete.
      counter.release();
    }
  });

  it('continues the old revision when it creates over an expired document', async () => {
    const db = service();
    const collection = randomCollection();
    const old = await db.save(collection, 'doc', { v: 1 }, { expiresAt: now + 1 });
    now += 1;
    const [created] = await db.saveMany(collection, [{ id: 'doc', doc: { v: 2 }, ifRev: null }]);
    const rev = created && 'rev' in created ? created.rev : '';
    // Revisions are update times: the new one is later than the expired one's.
    const [before, after] = [old.rev, rev].map((r) => fromRevision(r)?.updateTime.toMillis());
    expect(after).toBeGreaterThan(before as number);
    expect(await db.get(collection, 'doc')).toMatchObject({ v: 2, _rev: rev });
    expect(await rawFields(collection, 'doc')).not.toHaveProperty(EXPIRES_FIELD);
  });

  it('gives an expiring document a revision with its expiry, the same on every write and read', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    await db.save(collection, 'old', {}, { expiresAt: now + 1 });
    const { rev: base } = await db.save(collection, 'if-rev', { v: 1 });
    const { rev: manyBase } = await db.save(collection, 'many-if-rev', { v: 1 });
    const written: Record<string, string> = {
      upsert: (await db.save(collection, 'upsert', { v: 1 }, { expiresAt: at })).rev,
      create: (await db.save(collection, 'create', { v: 1 }, { expiresAt: at, ifRev: null })).rev,
      'if-rev': (await db.save(collection, 'if-rev', { v: 2 }, { expiresAt: at, ifRev: base })).rev,
      never: (await db.save(collection, 'never', { v: 1 })).rev,
    };
    now += 1;
    // Over the expired one: the create is refused, then replaced at the update time read.
    written.old = (await db.save(collection, 'old', {}, { expiresAt: at, ifRev: null })).rev;
    const many = await db.saveMany(collection, [
      { id: 'many-upsert', doc: {}, expiresAt: at },
      { id: 'many-create', doc: {}, expiresAt: at, ifRev: null },
      { id: 'many-if-rev', doc: {}, expiresAt: at, ifRev: manyBase },
    ]);
    for (const result of many) written[result.id] = 'rev' in result ? result.rev : 'refused';
    const ids = Object.keys(written).sort();
    for (const id of ids) {
      const named = fromRevision(written[id] as string);
      expect([id, named?.expiresAt]).toEqual([id, id === 'never' ? undefined : at]);
      expect(written[id], id).toBe(toRevision(named?.updateTime as Timestamp, named?.expiresAt));
    }
    const reads = [
      ...(await Promise.all(ids.map((id) => db.get(collection, id)))),
      ...(await db.getMany(collection, ids)),
      ...(await db.list(collection)).documents,
      ...(await db.find(collection, { orderBy: { field: 'v', direction: 'asc' } })).documents,
      ...(await db.find(collection, { where: [['_id', 'in', ids]] })).documents,
    ];
    for (const read of reads)
      expect([read?._id, read?._rev]).toEqual([read?._id, written[read?._id as string]]);
    expect(reads.length).toBeGreaterThan(3 * ids.length);
  });

  it('writes at a revision without reading: save 1 call, get and save 2, delete 1', async () => {
    const { db, calls } = await countedService();
    const collection = randomCollection();
    await db.save(collection, 'warm-up', {});
    for (const expiresAt of [undefined, now + MINUTE]) {
      const options = expiresAt === undefined ? {} : { expiresAt };
      const id = `doc-${expiresAt ?? 'never'}`;
      let { rev } = await db.save(collection, id, { v: 0 }, options);
      // save at a revision: one commit, no read.
      expect(
        await calls(async () => {
          ({ rev } = await db.save(collection, id, { v: 1 }, { ...options, ifRev: rev }));
        }),
      ).toBe(1);
      // The read-modify-write an update is: a read and a commit.
      expect(
        await calls(async () => {
          const current = await db.get(collection, id);
          ({ rev } = await db.save(collection, id, { v: 2 }, { ...options, ifRev: current._rev }));
        }),
      ).toBe(2);
      // saveMany's items at a revision write the same way.
      expect(
        await calls(async () => {
          const [result] = await db.saveMany(collection, [
            { id, doc: { v: 3 }, ...options, ifRev: rev },
          ]);
          expect(result).toHaveProperty('rev');
          rev = result && 'rev' in result ? result.rev : '';
        }),
      ).toBe(1);
      expect(await db.get(collection, id)).toMatchObject({ v: 3, _rev: rev });
      // A stale revision: the commit's precondition fails, nothing is read.
      const stale = rev;
      ({ rev } = await db.save(collection, id, { v: 4 }, options));
      expect(
        await calls(() =>
          expectDatabaseError(db.save(collection, id, {}, { ifRev: stale }), 'conflict'),
        ),
      ).toBe(1);
      // delete at a stale revision: refused, then a read tells a conflict from a missing one.
      expect(
        await calls(() =>
          expectDatabaseError(db.delete(collection, id, { ifRev: stale }), 'conflict'),
        ),
      ).toBe(2);
      // delete at the revision: one call.
      expect(await calls(() => db.delete(collection, id, { ifRev: rev }))).toBe(1);
      expect(await rawIds(collection)).not.toContain(id);
      // Gone: refused, then the read finds nothing.
      expect(
        await calls(() =>
          expectDatabaseError(db.delete(collection, id, { ifRev: rev }), 'not_found'),
        ),
      ).toBe(2);
      await expectDatabaseError(db.save(collection, id, {}, { ifRev: rev }), 'conflict');
    }
  });

  it('refuses the revision of a document expired by the clock, 409 to a save and 404 to a delete', async () => {
    const { db, calls } = await countedService();
    const collection = randomCollection();
    const at = now + MINUTE;
    const { rev } = await db.save(collection, 'doc', { v: 1 }, { expiresAt: at });
    now = at - 1;
    // Live for one more millisecond: its revision still writes.
    const { rev: live } = await db.save(collection, 'doc', { v: 1 }, { expiresAt: at, ifRev: rev });
    await expectDatabaseError(db.save(collection, 'doc', {}, { ifRev: rev }), 'conflict');
    const kept = await rawFields(collection, 'doc');
    now = at;
    // Expired at its instant: the revision alone says so, no call is made.
    expect(
      await calls(() =>
        expectDatabaseError(db.save(collection, 'doc', {}, { ifRev: live }), 'conflict'),
      ),
    ).toBe(0);
    const [many] = await db.saveMany(collection, [{ id: 'doc', doc: {}, ifRev: live }]);
    expect(many && 'error' in many ? many.error.code : 'saved').toBe('conflict');
    // A delete reads: the expired document itself is missing.
    expect(
      await calls(() =>
        expectDatabaseError(db.delete(collection, 'doc', { ifRev: live }), 'not_found'),
      ),
    ).toBe(1);
    expect(await rawFields(collection, 'doc')).toEqual(kept);
    // Created again over it: the old revision is a conflict to both, the new one writes.
    const { rev: again } = await db.save(collection, 'doc', { v: 2 }, { ifRev: null });
    await expectDatabaseError(db.save(collection, 'doc', {}, { ifRev: live }), 'conflict');
    await expectDatabaseError(db.delete(collection, 'doc', { ifRev: live }), 'conflict');
    expect(await db.get(collection, 'doc')).toMatchObject({ v: 2, _rev: again });
    await db.delete(collection, 'doc', { ifRev: again });
    expect(await rawIds(collection)).toEqual([]);
  });

  it('refuses a revision whose expiry part is not as the adapter writes it', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    const { rev } = await db.save(collection, 'doc', { v: 1 }, { expiresAt: at });
    const named = fromRevision(rev);
    expect(named?.expiresAt).toBe(at);
    const time = toRevision(named?.updateTime as Timestamp);
    const kept = await rawFields(collection, 'doc');
    for (const tampered of [
      `${time}-0${at}`,
      `${time}-${at}x`,
      `${time}-+${at}`,
      `${time}-${at}.0`,
      `${time}--${at}-${at}`,
      `${time}-`,
      `${time}-${at}000`,
    ]) {
      await expectDatabaseError(db.save(collection, 'doc', {}, { ifRev: tampered }), 'conflict');
      await expectDatabaseError(db.delete(collection, 'doc', { ifRev: tampered }), 'conflict');
      const [many] = await db.saveMany(collection, [{ id: 'doc', doc: {}, ifRev: tampered }]);
      expect([tampered, many && 'error' in many ? many.error.code : 'saved']).toEqual([
        tampered,
        'conflict',
      ]);
    }
    expect(await rawFields(collection, 'doc')).toEqual(kept);
    // The revision as written still writes.
    await db.save(collection, 'doc', { v: 2 }, { ifRev: rev, expiresAt: at });
  });

  it('refuses revisions no Firestore write gives, whether the document is there or not', async () => {
    const db = service();
    const collection = randomCollection();
    const { rev } = await db.save(collection, 'there', { v: 1 });
    const kept = await rawFields(collection, 'there');
    const time = fromRevision(rev)?.updateTime as Timestamp;
    // The zero time is the emulator's version of a document that does not exist, and
    // Firestore refuses a precondition finer than microseconds (400): neither names a
    // document, so a save at it is 409 and a delete 409 or 404, and nothing is written.
    const finer = `${time.seconds}.${String(time.nanoseconds + 1).padStart(9, '0')}`;
    for (const bogus of ['0.000000000', finer, `${finer}-${now + MINUTE}`]) {
      for (const id of ['there', 'missing']) {
        await expectDatabaseError(db.save(collection, id, {}, { ifRev: bogus }), 'conflict');
        await expectDatabaseError(
          db.delete(collection, id, { ifRev: bogus }),
          id === 'there' ? 'conflict' : 'not_found',
        );
        const [many] = await db.saveMany(collection, [{ id, doc: {}, ifRev: bogus }]);
        expect([bogus, id, many && 'error' in many ? many.error.code : 'saved']).toEqual([
          bogus,
          id,
          'conflict',
        ]);
      }
    }
    expect(await rawIds(collection)).toEqual(['there']);
    expect(await rawFields(collection, 'there')).toEqual(kept);
  });

  it('keeps the expiry in milliseconds beside the Timestamp on every write path, never shown', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    await db.save(collection, 'epoch', { v: 1 }, { expiresAt: 0 });
    for (const id of await writeEveryWay(db, collection, at)) {
      expect((await rawFields(collection, id))?.[EXPIRES_MS_FIELD], id).toBe(at);
    }
    expect((await rawFields(collection, 'epoch'))?.[EXPIRES_MS_FIELD]).toBe(0);
    expect(await rawFields(collection, 'many-never')).not.toHaveProperty(EXPIRES_MS_FIELD);
    // Reads never show it.
    const reads = [
      await db.get(collection, 'upsert'),
      ...(await db.getMany(collection, ['create'])),
      ...(await db.listAll(collection)),
      ...(await db.find(collection, { where: [['v', '==', 2]] })).documents,
    ];
    // listAll leaves out 'epoch': it expired long ago.
    expect(reads).toHaveLength(9);
    for (const read of reads) expect(read).not.toHaveProperty(EXPIRES_MS_FIELD);
    // A save without expiresAt clears both fields.
    await db.save(collection, 'upsert', { v: 2 });
    const cleared = await rawFields(collection, 'upsert');
    expect(cleared).not.toHaveProperty(EXPIRES_FIELD);
    expect(cleared).not.toHaveProperty(EXPIRES_MS_FIELD);
  });

  it('counts both expiry fields in the size limit, as the emulator does', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    const limit = 1024 * 1024;
    const numbers = Array.from({ length: 100_000 }, () => 0);
    const sized = (bytes: number) => {
      const base = { n: numbers, s: '', _write: writeTag(), ...expiryFields(at) };
      return { n: numbers, s: 'x'.repeat(bytes - documentSize(collection, 'big', base)) };
    };
    await db.save(collection, 'big', sized(limit), { expiresAt: at });
    expect((await rawFields(collection, 'big'))?.[EXPIRES_MS_FIELD]).toBe(at);
    // One byte more is the adapter's 413, not the emulator's refusal of what it was sent.
    const error = await expectDatabaseError(
      db.save(collection, 'big', sized(limit + 1), { expiresAt: at }),
      'too_large',
    );
    expect(error.message).toMatch(/1048577 bytes as Firestore counts them/);
  });

  it('deletes without a revision in one call: 404 when missing or expired by the clock', async () => {
    const { db, calls } = await countedService();
    const collection = randomCollection();
    await db.save(collection, 'warm-up', {});
    await db.delete(collection, 'warm-up');
    const at = now + MINUTE;
    await db.save(collection, 'never', { v: 1 });
    await db.save(collection, 'live-one-more-ms', { v: 1 }, { expiresAt: at + 1 });
    await db.save(collection, 'live', { v: 1 }, { expiresAt: at + MINUTE });
    await db.save(collection, 'at-its-instant', { v: 1 }, { expiresAt: at });
    await db.save(collection, 'expired', { v: 1 }, { expiresAt: now });
    await db.save(collection, 'epoch', { v: 1 }, { expiresAt: 0 });
    await db.save(collection, 'before-1970', { v: 1 }, { expiresAt: -5 });
    // As the Python service writes a document: no expiry field, not even the Timestamp.
    await raw.collection(collection).doc('python').set({ v: 1, _write: writeTag() });
    now = at;
    const deletes: Array<[string, 'deleted' | 'not_found']> = [
      ['never', 'deleted'],
      ['python', 'deleted'],
      ['live', 'deleted'],
      ['live-one-more-ms', 'deleted'],
      ['at-its-instant', 'not_found'],
      ['expired', 'not_found'],
      ['epoch', 'not_found'],
      ['before-1970', 'not_found'],
      ['missing', 'not_found'],
    ];
    for (const [id, outcome] of deletes) {
      const made = await calls(async () => {
        if (outcome === 'deleted') await db.delete(collection, id);
        else await expectDatabaseError(db.delete(collection, id), 'not_found', { collection, id });
      });
      expect(made, id).toBe(1);
    }
    // Each is gone, the expired ones too; and a second delete of each is 404.
    expect(await rawIds(collection)).toEqual([]);
    for (const [id] of deletes) await expectDatabaseError(db.delete(collection, id), 'not_found');
  });

  it('cancels the commit of a delete whose caller aborts, and refuses an aborted one', async () => {
    const { db, calls, counter } = await countedService();
    const collection = randomCollection();
    await db.save(collection, 'kept', { v: 1 }, { expiresAt: now + MINUTE });
    await db.save(collection, 'other', { v: 1 });
    // The delete's own client is connected before its commit is held.
    await expectDatabaseError(db.delete(collection, 'missing'), 'not_found');
    expect(
      await calls(() =>
        expectDatabaseError(
          db.delete(collection, 'kept', { signal: AbortSignal.abort() }),
          'unavailable',
        ),
      ),
    ).toBe(0);
    const before = counter.requests();
    const forwarded = counter.forwarded();
    counter.hold();
    const caller = new AbortController();
    const aborted = expectDatabaseError(
      db.delete(collection, 'kept', { signal: caller.signal }),
      'unavailable',
    );
    await counter.reached(before + 1);
    caller.abort(new Error('the caller gave up'));
    expect((await aborted).status).toBe(503);
    // A delete after it, on the same connection, comes to the proxy after the first one's
    // cancel: once it has arrived, the release passes only it on.
    const next = db.delete(collection, 'other');
    await counter.reached(before + 2);
    counter.release();
    await next;
    expect(counter.forwarded()).toBe(forwarded + 1);
    expect(await rawIds(collection)).toEqual(['kept']);
  });

  it('is 503 when the emulator cannot be reached during a purge', async () => {
    const port = await closedPort();
    const unreachable = withoutEmulatorVariable(
      () =>
        new FirestoreDatabaseService({
          firestore: { projectId: emulator.projectId, host: `127.0.0.1:${port}`, ssl: false },
          timeoutMs: 10_000,
          clock: () => now,
        }),
    );
    try {
      const error = await expectDatabaseError(
        unreachable.purgeExpired(randomCollection()),
        'unavailable',
      );
      expect(error.status).toBe(503);
      expect(error.message).toMatch(/cannot be reached/);
    } finally {
      // Its close cannot reach the backend either, and says so (503): not this test's point.
      await unreachable.close().catch(() => undefined);
    }
  });
});

/** A loopback port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// What only this adapter knows about, against the emulator: how ids and values look to a
// raw client, documents other tools wrote, Firestore's own size limit, outages and start-up
// from the environment.
import { randomUUID } from 'node:crypto';
import { compareCodePoints, createDatabaseService, encodeCursor } from '@gofannon/db-core';
import { eventually, expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import {
  type FirestoreEmulator,
  useEmulatorEnvironment,
  useFirestoreEmulator,
} from '@gofannon/test-support';
import { Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreDatabaseService, type FirestoreOptions } from '../src';
import { documentSize } from '../src/document-size';
import { writeTag } from '../src/revisions';
import { rawFirestore } from './support/firestore-inspector';
import { missingEmulator } from './support/skip-without-emulator';

describe.skipIf(missingEmulator)('Firestore adapter on the emulator', () => {
  let emulator: FirestoreEmulator;
  let raw: Firestore;
  const services: FirestoreDatabaseService[] = [];

  beforeAll(async () => {
    emulator = await useFirestoreEmulator();
    useEmulatorEnvironment(emulator);
    raw = rawFirestore(emulator);
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    await raw?.terminate();
    await emulator?.close();
  });

  function service(options: Omit<FirestoreOptions, 'firestore'> = {}): FirestoreDatabaseService {
    const created = new FirestoreDatabaseService({
      firestore: { projectId: emulator.projectId },
      // These tests are not about deadlines: a busy machine's slow first call must not fail them.
      timeoutMs: 30_000,
      ...options,
    });
    services.push(created);
    return created;
  }

  async function rawIds(collection: string): Promise<string[]> {
    const { docs } = await raw.collection(collection).get();
    return docs.map((doc) => doc.id).sort();
  }

  describe('layout as a raw client sees it', () => {
    it('stores plain ids as they are and the others escaped, in the same order', async () => {
      const db = service();
      const collection = randomCollection();
      const escaped: Record<string, string> = {
        'a/b': 'a.~b',
        '.': '.!',
        '..': '.!.!',
        __x__: '`__x__',
        _all_docs: '`_all_docs',
        '`q': '``q',
        'user@example.com': 'user@example.!com',
        ['/'.repeat(512)]: '.~'.repeat(512),
      };
      const asIs = ['agent-1', 'user_42', '~tilde', 'a b', '😀'];
      for (const id of [...Object.keys(escaped), ...asIs]) await db.save(collection, id, { id });
      const expected = [...asIs, ...Object.values(escaped)].sort(compareCodePoints);
      expect(await rawIds(collection)).toEqual(expected);
      for (const id of Object.keys(escaped)) expect((await db.get(collection, id)).id).toBe(id);
      // Firestore's order of the stored ids is the code-point order of the caller's.
      const ids = (await db.listAll(collection)).map((doc) => doc._id);
      expect(ids).toEqual([...ids].sort(compareCodePoints));
    });

    it('stores fields as the document, with nested arrays and reserved names encoded', async () => {
      const db = service();
      const collection = randomCollection();
      const doc = {
        m: [
          [1, 2],
          [3, [4]],
        ],
        n: { __k__: 1 },
        '': 2,
        '~x': 3,
        plain: { 'a.b': [true] },
      };
      const { rev } = await db.save(collection, 'doc', doc);
      const snapshot = await raw.collection(collection).doc('doc').get();
      const { _write, ...fields } = snapshot.data() ?? {};
      expect(typeof _write).toBe('string');
      expect(fields).toEqual({
        m: [{ '~json': '[1,2]' }, { '~json': '[3,[4]]' }],
        n: { '~__k__': 1 },
        '~': 2,
        '~~x': 3,
        plain: { 'a.b': [true] },
      });
      expect(rev).toBe(
        `${snapshot.updateTime?.seconds}.${String(snapshot.updateTime?.nanoseconds).padStart(9, '0')}`,
      );
      expect(await db.get(collection, 'doc')).toEqual({ ...doc, _id: 'doc', _rev: rev });
    });

    it('puts the collection prefix before every collection name', async () => {
      const db = service({ collectionPrefix: 'app1_' });
      const collection = randomCollection();
      await db.save(collection, 'x', { v: 1 });
      expect(await rawIds(`app1_${collection}`)).toEqual(['x']);
      expect(await rawIds(collection)).toEqual([]);
    });

    it('gives a write that changes nothing a new revision anyway', async () => {
      const db = service();
      const collection = randomCollection();
      const first = await db.save(collection, 'same', { v: 1 });
      const second = await db.save(collection, 'same', { v: 1 });
      expect(second.rev).not.toBe(first.rev);
      await expectDatabaseError(
        db.save(collection, 'same', { v: 1 }, { ifRev: first.rev }),
        'conflict',
      );
    });
  });

  describe('batches', () => {
    it('runs the many requests of one batch call without a listener warning', async () => {
      // Saves on revisions go out as a request each, all at once under one call's signal.
      const db = service();
      const collection = randomCollection();
      const first = await db.saveMany(
        collection,
        Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, doc: { i } })),
      );
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const results = await db.saveMany(
          collection,
          first.map((saved, i) => ({
            id: saved.id,
            doc: { i, again: true },
            ifRev: 'rev' in saved ? saved.rev : undefined,
          })),
        );
        expect(results.every((result) => 'rev' in result)).toBe(true);
        // Warnings are emitted on the next tick: let one pass.
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('warning', onWarning);
      }
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    });
  });

  describe('documents written by other tools', () => {
    it('reads Timestamps as ISO-8601 strings, and other Firestore types as JSON', async () => {
      const collection = randomCollection();
      await raw
        .collection(collection)
        .doc('python-written')
        .set({
          created: Timestamp.fromMillis(Date.parse('2024-01-15T10:30:00.123Z')),
          // Firestore keeps microseconds.
          precise: new Timestamp(1_705_314_600, 123_456_789),
          when: new Date('2024-02-01T00:00:00.000Z'),
          nested: { at: [Timestamp.fromMillis(0)] },
          place: new GeoPoint(51.5, -0.12),
          ref: raw.doc(`${collection}/other`),
          bytes: Buffer.from('hi'),
          _rev: 'firestore-rev',
          name: 'written by the Python service',
        });
      const db = service();
      const doc = await db.get(collection, 'python-written');
      expect(doc).toEqual({
        _id: 'python-written',
        _rev: doc._rev,
        created: '2024-01-15T10:30:00.123Z',
        precise: '2024-01-15T10:30:00.123456Z',
        when: '2024-02-01T00:00:00.000Z',
        nested: { at: ['1970-01-01T00:00:00.000Z'] },
        place: { latitude: 51.5, longitude: -0.12 },
        ref: `${collection}/other`,
        bytes: Buffer.from('hi').toString('base64'),
        name: 'written by the Python service',
      });
      expect(doc._rev).toMatch(/^\d+\.\d{9}$/);
      expect(await db.listAll(collection)).toEqual([doc]);
      // Its update time is its revision: a conditional write over it works.
      const { rev } = await db.save(collection, 'python-written', { v: 2 }, { ifRev: doc._rev });
      expect(rev).not.toBe(doc._rev);
    });
  });

  describe('limits', () => {
    /** Fields whose size, as Firestore counts it with the adapter's write tag, is `bytes`. */
    function fieldsOfSize(collection: string, id: string, bytes: number) {
      const numbers = Array.from({ length: 100_000 }, () => 0);
      const base = documentSize(collection, id, { n: numbers, s: '', _write: writeTag() });
      return { n: numbers, s: 'x'.repeat(bytes - base) };
    }

    it('refuses with 413 what Firestore counts over 1 MiB, as the emulator does', async () => {
      const db = service();
      const collection = randomCollection();
      const limit = 1024 * 1024;
      const atLimit = fieldsOfSize(collection, 'big', limit);
      expect(JSON.stringify(atLimit).length).toBeLessThan(db.capabilities.maxDocumentBytes);
      const { rev } = await db.save(collection, 'big', atLimit);
      const over = fieldsOfSize(collection, 'big', limit + 1);
      const error = await expectDatabaseError(db.save(collection, 'big', over), 'too_large', {
        collection,
        id: 'big',
      });
      expect(error.status).toBe(413);
      expect(error.message).toMatch(/1048577 bytes as Firestore counts them/);
      expect((await db.get(collection, 'big'))._rev).toBe(rev);
      const [item] = await db.saveMany(collection, [{ id: 'big-batch', doc: over }]);
      expect(item && 'error' in item && item.error.code).toBe('too_large');
      // The emulator's own limit is the same: one more byte written raw is refused.
      const rawOver = { ...over, _write: randomUUID() };
      await expect(raw.collection(collection).doc('raw').set(rawOver)).rejects.toMatchObject({
        code: 3,
      });
      await raw
        .collection(collection)
        .doc('raw')
        .set({ ...atLimit, _write: writeTag() });
    });

    it('refuses a cursor naming a position Firestore cannot have with 400', async () => {
      const db = service();
      const collection = randomCollection();
      await db.save(collection, 'a', {});
      for (const position of ['a/b', '__x__', '..']) {
        await expectDatabaseError(
          db.list(collection, { cursor: encodeCursor(collection, position) }),
          'invalid',
          { collection },
        );
      }
    });
  });

  describe.skipIf(!!process.env.FIRESTORE_EMULATOR_HOST)('outages', () => {
    it('gives 503 at once while the emulator is down, and the same object recovers', async () => {
      const db = service({ timeoutMs: 10_000 });
      const collection = randomCollection();
      await db.save(collection, 'before', { v: 1 });
      await emulator.stop();
      try {
        const error = await expectDatabaseError(db.get(collection, 'before'), 'unavailable');
        // Answered by the reachability probe, before the deadline (whose message differs).
        expect(error.message).toMatch(/cannot be reached/);
        await expectDatabaseError(
          db.saveMany(collection, [{ id: 'x', doc: {} }]).then((r) => {
            const [item] = r;
            if (item && 'error' in item) throw item.error;
          }),
          'unavailable',
        );
      } finally {
        await emulator.restart();
      }
      await eventually(() => db.ping(), 30_000);
      await db.save(collection, 'after', { v: 2 });
      expect((await db.get(collection, 'after')).v).toBe(2);
    });
  });

  describe('DATABASE_PROVIDER=firestore', () => {
    const env = () => ({
      DATABASE_PROVIDER: 'firestore',
      FIRESTORE_EMULATOR_HOST: emulator.host,
      FIRESTORE_PROJECT_ID: emulator.projectId,
    });

    it('starts from the environment, with a collection prefix', async () => {
      const db = await createDatabaseService({
        env: { ...env(), FIRESTORE_COLLECTION_PREFIX: 'env_', DATABASE_TIMEOUT_MS: '4000' },
      });
      const collection = randomCollection();
      expect(db.provider).toBe('firestore');
      await db.save(collection, 'from-env', { ok: true });
      expect(await rawIds(`env_${collection}`)).toEqual(['from-env']);
      await db.close();
    });

    it('uses a named database when FIRESTORE_DATABASE_ID is set', async () => {
      const db = await createDatabaseService({
        env: { ...env(), FIRESTORE_DATABASE_ID: 'gofannon-named' },
      });
      const collection = randomCollection();
      await db.save(collection, 'named', { ok: true });
      const named = new Firestore({ projectId: emulator.projectId, databaseId: 'gofannon-named' });
      try {
        expect((await named.collection(collection).doc('named').get()).exists).toBe(true);
        expect(await rawIds(collection)).toEqual([]);
        // A delete commits through the low-level client: in the same database.
        await db.delete(collection, 'named');
        expect((await named.collection(collection).doc('named').get()).exists).toBe(false);
      } finally {
        await named.terminate();
        await db.close();
      }
    });
  });
});

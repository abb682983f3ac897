// Tests of the gRPC request counter in front of Google's Firestore emulator, with the real
// Firestore client talking to the proxy. Skipped where the emulator is missing.
import { randomBytes } from 'node:crypto';
import { Firestore, type Settings } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emulatorJarMissing,
  type FirestoreEmulator,
  type GrpcRequestCounter,
  startGrpcRequestCounter,
  useFirestoreEmulator,
} from '../src';

const missingEmulator = emulatorJarMissing();

/** gRPC status codes the emulator answers with. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const DEADLINE_EXCEEDED = 4;

/** Whether a promise has settled yet, read without waiting on it. */
function watch(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  const settle = () => {
    state.settled = true;
  };
  promise.then(settle, settle);
  return state;
}

describe.skipIf(missingEmulator)('gRPC request counter before the Firestore emulator', () => {
  const variables = {
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
    METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION,
  };
  const clients: Firestore[] = [];
  let emulator: FirestoreEmulator;
  let counter: GrpcRequestCounter;
  beforeAll(async () => {
    emulator = await useFirestoreEmulator();
    // The client prefers FIRESTORE_EMULATOR_HOST to its `host` setting: without the variable
    // each client goes where its `host` says, through the proxy or straight to the emulator.
    delete process.env.FIRESTORE_EMULATOR_HOST;
    process.env.METADATA_SERVER_DETECTION = 'none';
    counter = await startGrpcRequestCounter(emulator.host);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.terminate()));
    await counter?.close();
    await emulator?.close();
    for (const [name, value] of Object.entries(variables)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  /** A Firestore client on `host` (the proxy's or the emulator's), insecure as for an emulator. */
  function client(host: string, settings: Settings = {}): Firestore {
    const firestore = new Firestore({
      projectId: emulator.projectId,
      host,
      ssl: false,
      ...settings,
    });
    clients.push(firestore);
    return firestore;
  }

  const collection = () => `c${randomBytes(6).toString('hex')}`;

  it('passes writes, reads and streamed query results on, and counts each call', async () => {
    const db = client(counter.url);
    const name = collection();
    const before = { requests: counter.requests(), forwarded: counter.forwarded() };
    await db.doc(`${name}/a`).set({ v: 1 });
    expect((await db.doc(`${name}/a`).get()).data()).toEqual({ v: 1 });
    const batch = db.batch();
    for (const id of ['b', 'c']) batch.set(db.doc(`${name}/${id}`), { v: id });
    await batch.commit();
    const { docs } = await db.collection(name).orderBy('v').get();
    expect(docs.map((doc) => doc.id)).toEqual(['a', 'b', 'c']);
    // Commit, BatchGetDocuments, Commit, RunQuery: one counted request each.
    expect(counter.requests()).toBe(before.requests + 4);
    expect(counter.forwarded()).toBe(before.forwarded + 4);
    // They reached the emulator itself.
    expect((await client(emulator.host).doc(`${name}/c`).get()).data()).toEqual({ v: 'c' });
  });

  it('holds a read until released, then answers it', async () => {
    const db = client(counter.url);
    const ref = db.doc(`${collection()}/held`);
    await ref.set({ v: 'before' });
    const before = { requests: counter.requests(), forwarded: counter.forwarded() };
    counter.hold();
    let released = false;
    try {
      const reading = ref.get();
      const state = watch(reading);
      await counter.reached(before.requests + 1);
      // A round trip straight to the emulator: time in which an unheld read would be done.
      await client(emulator.host).doc(`${ref.path}`).set({ v: 'after' });
      expect(state.settled).toBe(false);
      expect(counter.forwarded()).toBe(before.forwarded);
      counter.release();
      released = true;
      expect(counter.forwarded()).toBe(before.forwarded + 1);
      // Passed on after the direct write, so it reads what that wrote.
      expect((await reading).data()).toEqual({ v: 'after' });
    } finally {
      if (!released) counter.release();
    }
  });

  it('never passes on a held call its client gave up on, and passes the ones it waits for', async () => {
    // Listing document names gives up after 300 ms, in one attempt: the client's own
    // retries of a call end with its time limit, which for this method is the one set here.
    const impatient = client(counter.url, {
      clientConfig: {
        interfaces: {
          'google.firestore.v1.Firestore': { methods: { ListDocuments: { timeout_millis: 300 } } },
        },
      },
    });
    const name = collection();
    await impatient.doc(`${name}/warm`).set({ v: 0 });
    const before = { requests: counter.requests(), forwarded: counter.forwarded() };
    counter.hold();
    let released = false;
    try {
      await expect(impatient.collection(name).listDocuments()).rejects.toMatchObject({
        code: DEADLINE_EXCEEDED,
      });
      expect(counter.requests()).toBe(before.requests + 1);
      // A write on the same connection: once the proxy has it, it has also had the client's
      // cancellations of the reads, which the connection carried before it.
      const writing = impatient.doc(`${name}/waited-for`).set({ v: 1 });
      await counter.reached(before.requests + 2);
      counter.release();
      released = true;
      expect(counter.forwarded()).toBe(before.forwarded + 1);
      await writing;
      expect(counter.requests()).toBe(before.requests + 2);
    } finally {
      if (!released) counter.release();
    }
    const written = await client(emulator.host).doc(`${name}/waited-for`).get();
    expect(written.data()).toEqual({ v: 1 });
  });

  it('passes error statuses on with their gRPC codes, trailers-only answers included', async () => {
    const db = client(counter.url);
    const ref = db.doc(`${collection()}/once`);
    await ref.create({ v: 1 });
    await expect(ref.create({ v: 2 })).rejects.toMatchObject({ code: ALREADY_EXISTS });
    await expect(db.doc(`${ref.parent.id}/missing`).update({ v: 1 })).rejects.toMatchObject({
      code: NOT_FOUND,
    });
    // The connection still serves afterwards.
    expect((await ref.get()).data()).toEqual({ v: 1 });
  });
});

import { runConformanceSuite } from '@gofannon/db-core/conformance';
import {
  type FirestoreEmulator,
  type RequestCounter,
  requestGateOf,
  startGrpcRequestCounter,
  useEmulatorEnvironment,
  useFirestoreEmulator,
} from '@gofannon/test-support';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe } from 'vitest';
import { FirestoreDatabaseService } from '../src';
import { firestoreInspector, rawFirestore } from './support/firestore-inspector';
import { missingEmulator } from './support/skip-without-emulator';
import { withoutEmulatorVariable } from './support/without-emulator-variable';

/** An emulator named by FIRESTORE_EMULATOR_HOST belongs to someone else: never stopped. */
const ownEmulator = !process.env.FIRESTORE_EMULATOR_HOST;

describe.skipIf(missingEmulator)('Firestore conformance', () => {
  let emulator: FirestoreEmulator;
  let raw: Firestore;
  let counter: RequestCounter;
  beforeAll(async () => {
    emulator = await useFirestoreEmulator();
    useEmulatorEnvironment(emulator);
    raw = rawFirestore(emulator);
    counter = await startGrpcRequestCounter(emulator.host);
  });
  afterAll(async () => {
    await raw?.terminate();
    await counter?.close();
    await emulator?.close();
  });

  /**
   * Services whose calls pass the counting gRPC proxy, for the cancellation cases. The client
   * would take FIRESTORE_EMULATOR_HOST over its `host` setting, and so would the adapter's
   * reachability probe: both read it when the service is made, so it is made without it.
   */
  const requestGate = requestGateOf(
    () => counter,
    (host, timeoutMs) =>
      withoutEmulatorVariable(
        () =>
          new FirestoreDatabaseService({
            firestore: { projectId: emulator.projectId, host, ssl: false },
            timeoutMs,
          }),
      ),
  );

  function configuration(
    name: string,
    collectionPrefix: string,
    timeoutMs: number,
    manyDocuments?: number,
    gate?: typeof requestGate,
  ) {
    runConformanceSuite({
      name,
      ...(manyDocuments === undefined ? {} : { manyDocuments }),
      create: ({ clock }) =>
        new FirestoreDatabaseService({
          firestore: { projectId: emulator.projectId },
          collectionPrefix,
          timeoutMs,
          clock,
        }),
      inspector: firestoreInspector(() => raw, collectionPrefix),
      outage: ownEmulator
        ? { stop: () => emulator.stop(), start: () => emulator.restart(), timeoutMs }
        : undefined,
      requestGate: gate,
    });
  }

  configuration('firestore', '', 10_000, undefined, requestGate);
  // 1200 documents still make two listAll pages of 1000, and keep the run short.
  configuration(
    'firestore with a collection prefix and a short timeout',
    'gofannon_test_',
    3_000,
    1200,
  );
});

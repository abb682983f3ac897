import { runConformanceSuite } from '@gofannon/db-core/conformance';
import {
  type FirestoreEmulator,
  useEmulatorEnvironment,
  useFirestoreEmulator,
} from '@gofannon/test-support';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe } from 'vitest';
import { FirestoreDatabaseService } from '../src';
import { firestoreInspector, rawFirestore } from './support/firestore-inspector';
import { missingEmulator } from './support/skip-without-emulator';

/** An emulator named by FIRESTORE_EMULATOR_HOST belongs to someone else: never stopped. */
const ownEmulator = !process.env.FIRESTORE_EMULATOR_HOST;

describe.skipIf(missingEmulator)('Firestore conformance', () => {
  let emulator: FirestoreEmulator;
  let raw: Firestore;
  beforeAll(async () => {
    emulator = await useFirestoreEmulator();
    useEmulatorEnvironment(emulator);
    raw = rawFirestore(emulator);
  });
  afterAll(async () => {
    await raw?.terminate();
    await emulator?.close();
  });

  function configuration(
    name: string,
    collectionPrefix: string,
    timeoutMs: number,
    manyDocuments?: number,
  ) {
    runConformanceSuite({
      name,
      ...(manyDocuments === undefined ? {} : { manyDocuments }),
      create: () =>
        new FirestoreDatabaseService({
          firestore: { projectId: emulator.projectId },
          collectionPrefix,
          timeoutMs,
        }),
      inspector: firestoreInspector(() => raw, collectionPrefix),
      outage: ownEmulator
        ? { stop: () => emulator.stop(), start: () => emulator.restart(), timeoutMs }
        : undefined,
    });
  }

  configuration('firestore', '', 10_000);
  // 1200 documents still make two listAll pages of 1000, and keep the run short.
  configuration(
    'firestore with a collection prefix and a short timeout',
    'gofannon_test_',
    3_000,
    1200,
  );
});

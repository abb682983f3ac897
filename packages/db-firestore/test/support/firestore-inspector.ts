import type { BackendInspector } from '@gofannon/db-core/conformance';
import type { FirestoreEmulator } from '@gofannon/test-support';
import { Firestore } from '@google-cloud/firestore';

/** A raw Firestore client on the emulator, beside the adapter (the env variables point it there). */
export function rawFirestore(emulator: FirestoreEmulator): Firestore {
  return new Firestore({ projectId: emulator.projectId });
}

/** Tells the suite whether a collection exists: in Firestore, whether it holds a document. */
export function firestoreInspector(raw: () => Firestore, prefix = ''): BackendInspector {
  return {
    async collectionExists(collection) {
      const { empty } = await raw().collection(`${prefix}${collection}`).limit(1).get();
      return !empty;
    },
  };
}

/**
 * The Firestore emulator of a bench run: the one `FIRESTORE_EMULATOR_HOST` names, else
 * Google's emulator jar started as a child process on a free 127.0.0.1 port and stopped by
 * its pid (a watchdog kills it should the bench die).
 *
 * How it is started, awaited and stopped exists once, in db-firestore's
 * `test/support/firestore-emulator.ts`, which the adapter's own tests use; it is imported
 * here rather than copied, as `couch-server.ts` does for CouchDB. This module is the only
 * place that reaches into that folder.
 */
export {
  emulatorJarMissing,
  type FirestoreEmulator,
  firestoreEmulatorFromEnv,
  startFirestoreEmulator,
} from '../../../db-firestore/test/support/firestore-emulator';

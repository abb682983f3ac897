import type { FirestoreEmulator } from './emulator';

/**
 * The settings `DATABASE_PROVIDER=firestore` reads, for a test emulator: what other
 * packages' tests (the API, the bench) pass to `createDatabaseService`. A fresh collection
 * prefix per test keeps tests apart in one project.
 */
export function firestoreProviderEnv(
  emulator: FirestoreEmulator,
  prefix: string,
): Record<string, string> {
  return {
    DATABASE_PROVIDER: 'firestore',
    FIRESTORE_EMULATOR_HOST: emulator.host,
    FIRESTORE_PROJECT_ID: emulator.projectId,
    FIRESTORE_COLLECTION_PREFIX: prefix,
  };
}

/**
 * What the Google client reads from the process environment itself: the emulator, and the
 * switch that keeps it from looking for the cloud metadata server.
 */
export function emulatorProcessEnv(emulator: FirestoreEmulator): Record<string, string> {
  return { FIRESTORE_EMULATOR_HOST: emulator.host, METADATA_SERVER_DETECTION: 'none' };
}

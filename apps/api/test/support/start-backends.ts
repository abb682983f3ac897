import {
  couchProviderEnv,
  dynamoCredentialsEnv,
  dynamoProviderEnv,
  emulatorJarMissing,
  emulatorProcessEnv,
  firestoreProviderEnv,
  postgresProviderEnv,
  useCouchServer,
  useDynamoServer,
  useFirestoreEmulator,
  usePostgresServer,
} from '@gofannon/test-support';
import type { TestProject } from 'vitest/node';
import type { ApiBackend } from './backends';

/**
 * Vitest global setup: starts each adapter's test server once (with the fixtures of
 * `@gofannon/test-support`, so a `*_URL` variable points them at a server of your own) and
 * hands their settings to every test file.
 */
export default async function startBackends(project: TestProject): Promise<() => Promise<void>> {
  const firestoreMissing = emulatorJarMissing();
  if (firestoreMissing)
    process.stderr.write(`\n${firestoreMissing} (the API's tests on firestore)\n\n`);
  const [couch, pg, dynamo, firestore] = await Promise.all([
    useCouchServer(),
    usePostgresServer(),
    useDynamoServer(),
    firestoreMissing ? undefined : useFirestoreEmulator(),
  ]);
  const backends: ApiBackend[] = [
    { name: 'memory', env: { DATABASE_PROVIDER: 'memory' } },
    {
      name: 'couchdb',
      env: couchProviderEnv(couch, ''),
      prefixVariable: 'COUCHDB_DATABASE_PREFIX',
    },
    { name: 'postgres', env: postgresProviderEnv(pg, ''), prefixVariable: 'POSTGRES_TABLE_PREFIX' },
    {
      name: 'dynamodb',
      env: dynamoProviderEnv(dynamo, ''),
      prefixVariable: 'DYNAMODB_TABLE_PREFIX',
      processEnv: dynamoCredentialsEnv(dynamo),
    },
  ];
  if (firestore) {
    backends.push({
      name: 'firestore',
      env: firestoreProviderEnv(firestore, ''),
      prefixVariable: 'FIRESTORE_COLLECTION_PREFIX',
      processEnv: emulatorProcessEnv(firestore),
    });
  }
  project.provide('backends', backends);
  return async () => {
    await Promise.all([couch.close(), pg.close(), dynamo.close(), firestore?.close()]);
  };
}

import type { TestProject } from 'vitest/node';
import { couchProviderEnv, useCouchServer } from '@gofannon/test-support';
import {
  dynamoCredentialsEnv,
  dynamoProviderEnv,
} from '../../../../packages/db-dynamodb/test/support/dynamodb-provider-env';
import { useDynamoServer } from '../../../../packages/db-dynamodb/test/support/dynamodb-server';
import {
  emulatorJarMissing,
  useFirestoreEmulator,
} from '../../../../packages/db-firestore/test/support/firestore-emulator';
import {
  emulatorProcessEnv,
  firestoreProviderEnv,
} from '../../../../packages/db-firestore/test/support/firestore-provider-env';
import { postgresProviderEnv } from '../../../../packages/db-postgres/test/support/postgres-provider-env';
import { usePostgresServer } from '../../../../packages/db-postgres/test/support/postgres-server';
import type { ApiBackend } from './backends';

/**
 * Vitest global setup: starts each adapter's test server once (with the adapters' own
 * fixtures, so a `*_URL` variable points them at a server of your own) and hands their
 * settings to every test file.
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

import { randomBytes } from 'node:crypto';
import {
  dynamoCredentialsEnv,
  dynamoProviderEnv,
} from '../../../db-dynamodb/test/support/dynamodb-provider-env';
import type { DynamoServer } from '../../../db-dynamodb/test/support/dynamodb-server';
import type { FirestoreEmulator } from '../../../db-firestore/test/support/firestore-emulator';
import {
  emulatorProcessEnv,
  firestoreProviderEnv,
} from '../../../db-firestore/test/support/firestore-provider-env';
import { postgresProviderEnv } from '../../../db-postgres/test/support/postgres-provider-env';
import type { PostgresServer } from '../../../db-postgres/test/support/postgres-server';
import { type CouchServer, couchProviderEnv } from '@gofannon/test-support';

export { useCouchServer } from '@gofannon/test-support';
export { useDynamoServer } from '../../../db-dynamodb/test/support/dynamodb-server';
export {
  emulatorJarMissing,
  useFirestoreEmulator,
} from '../../../db-firestore/test/support/firestore-emulator';
export { usePostgresServer } from '../../../db-postgres/test/support/postgres-server';
export type { CouchServer, DynamoServer, FirestoreEmulator, PostgresServer };

/** A prefix no other test uses, so each test starts from empty databases or tables. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}_`;
}

/** Settings for `DATABASE_PROVIDER=couchdb` on the test server. */
export function couchEnv(couch: CouchServer, prefix = uniquePrefix()): Record<string, string> {
  return couchProviderEnv(couch, prefix);
}

/** Settings for `DATABASE_PROVIDER=postgres` on the test server. */
export function postgresEnv(pg: PostgresServer, prefix = uniquePrefix()): Record<string, string> {
  return postgresProviderEnv(pg, prefix);
}

/**
 * Settings for `DATABASE_PROVIDER=dynamodb` on the test server, and the credentials the AWS
 * client reads from the process environment (to put there before opening).
 */
export function dynamoEnv(
  dynamo: DynamoServer,
  prefix = uniquePrefix(),
): { env: Record<string, string>; processEnv: Record<string, string> } {
  return { env: dynamoProviderEnv(dynamo, prefix), processEnv: dynamoCredentialsEnv(dynamo) };
}

/**
 * Settings for `DATABASE_PROVIDER=firestore` on the test emulator, and what the Google
 * client reads from the process environment (to put there before opening).
 */
export function firestoreEnv(
  emulator: FirestoreEmulator,
  prefix = uniquePrefix(),
): { env: Record<string, string>; processEnv: Record<string, string> } {
  return {
    env: firestoreProviderEnv(emulator, prefix),
    processEnv: emulatorProcessEnv(emulator),
  };
}

/** The text of an env file holding these settings. */
export function envFileText(env: Record<string, string>): string {
  return `# written by a test\n${Object.entries(env)
    .map(([key, value]) => `${key}="${value}"`)
    .join('\n')}\n`;
}

import { randomBytes } from 'node:crypto';
import {
  type CouchServer,
  couchProviderEnv,
  type DynamoServer,
  dynamoCredentialsEnv,
  dynamoProviderEnv,
  emulatorProcessEnv,
  type FirestoreEmulator,
  firestoreProviderEnv,
  type PostgresServer,
  postgresProviderEnv,
} from '@gofannon/test-support';

export {
  emulatorJarMissing,
  useCouchServer,
  useDynamoServer,
  useFirestoreEmulator,
  usePostgresServer,
} from '@gofannon/test-support';
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

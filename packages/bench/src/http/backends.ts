import { randomBytes } from 'node:crypto';

/** A provider's server for the HTTP bench: the settings the API's process gets, and cleanup. */
export interface HttpBackend {
  description: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How each provider's server is readied: the one its `*_URL` variable names, else a local one
 * started as the table bench starts it. The API's documents go under `prefix`.
 */
const OPENERS: Record<string, (env: Env, prefix: string) => Promise<HttpBackend>> = {
  memory: async () => ({
    description: 'memory adapter in the API process',
    env: { DATABASE_PROVIDER: 'memory' },
    close: async () => {},
  }),
  couchdb: async (env, prefix) => {
    const { couchServerFromEnv, startCouchServer } = await import('../providers/couch-server');
    const { describeServer, dropDatabases } = await import('../providers/couchdb');
    const { couchProviderEnv } = await import(
      '../../../db-couchdb/test/support/couch-provider-env'
    );
    const server = couchServerFromEnv(env) ?? (await startCouchServer());
    return {
      description: describeServer(server),
      env: couchProviderEnv(server, prefix),
      close: async () => {
        await dropDatabases(server, prefix);
        await server.close();
      },
    };
  },
  postgres: async (env, prefix) => {
    const { postgresServerFromEnv, startPostgresServer } = await import(
      '../providers/postgres-server'
    );
    const { DURABLE, describeServer, dropTables } = await import('../providers/postgres');
    const { postgresProviderEnv } = await import(
      '../../../db-postgres/test/support/postgres-provider-env'
    );
    const server = postgresServerFromEnv(env) ?? (await startPostgresServer(DURABLE));
    return {
      description: await describeServer(server),
      env: postgresProviderEnv(server, prefix),
      close: async () => {
        await dropTables(server.url, prefix);
        await server.close();
      },
    };
  },
  dynamodb: async (env, prefix) => {
    const { dynamoClientConfig, dynamoServerFromEnv, startDynamoServer } = await import(
      '../providers/dynamodb-server'
    );
    const { describeServer, dropTables } = await import('../providers/dynamodb');
    const { dynamoCredentialsEnv, dynamoProviderEnv } = await import(
      '../../../db-dynamodb/test/support/dynamodb-provider-env'
    );
    const server = dynamoServerFromEnv(env) ?? (await startDynamoServer());
    return {
      description: describeServer(server),
      env: { ...dynamoProviderEnv(server, prefix), ...dynamoCredentialsEnv(server) },
      close: async () => {
        await dropTables(dynamoClientConfig(server), prefix);
        await server.close();
      },
    };
  },
  firestore: async (env, prefix) => {
    const { firestoreEmulatorFromEnv, startFirestoreEmulator } = await import(
      '../providers/firestore-emulator'
    );
    const { BENCH_HEAP_MB, describeEmulator, resetProject } = await import(
      '../providers/firestore'
    );
    const { emulatorProcessEnv, firestoreProviderEnv } = await import(
      '../../../db-firestore/test/support/firestore-provider-env'
    );
    const emulator =
      firestoreEmulatorFromEnv({ ...env }) ??
      (await startFirestoreEmulator({ heapMb: BENCH_HEAP_MB }));
    return {
      description: describeEmulator(emulator),
      env: { ...firestoreProviderEnv(emulator, prefix), ...emulatorProcessEnv(emulator) },
      close: async () => {
        if (emulator.external) await resetProject(emulator);
        await emulator.close();
      },
    };
  },
};

/** The providers the HTTP bench can run the API on. */
export const HTTP_PROVIDERS: readonly string[] = Object.keys(OPENERS);

/** Readies a provider's server for the API; throws for an unknown provider. */
export function openHttpBackend(provider: string, env: Env): Promise<HttpBackend> {
  const open = OPENERS[provider];
  if (!open) {
    throw new Error(
      `The HTTP bench has no provider "${provider}"; choose from ${HTTP_PROVIDERS.join(', ')}`,
    );
  }
  return open(env, `bench_${randomBytes(6).toString('hex')}_http_`);
}

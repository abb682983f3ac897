/**
 * The server behind a provider, for the bench modes that run the adapter elsewhere (a child
 * process) and reach it through `DATABASE_PROVIDER` settings: `--http` and `--migrate`. The
 * server is the one a `*_URL` variable names, else a local one started as the table bench
 * starts it.
 */
export interface ServerBackend {
  /** What the run talks to; printed and written to the JSON. */
  description: string;
  /**
   * The provider's settings on this server with everything under `prefix`, plus what its
   * client reads from the process environment (credentials, emulator switches).
   */
  providerEnv(prefix: string): Record<string, string>;
  /** Drops what was written under `prefix`. */
  drop(prefix: string): Promise<void>;
  /** Stops a server this run started; a no-op for one named by a variable. */
  close(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

const OPENERS: Record<string, (env: Env) => Promise<ServerBackend>> = {
  memory: async () => ({
    description: 'memory adapter, in the process that uses it',
    providerEnv: () => ({ DATABASE_PROVIDER: 'memory' }),
    drop: async () => {},
    close: async () => {},
  }),
  couchdb: async (env) => {
    const { couchProviderEnv, couchServerFromEnv, startCouchServer } = await import(
      '@gofannon/test-support'
    );
    const { describeServer, dropDatabases } = await import('./couchdb');
    const server = couchServerFromEnv(env) ?? (await startCouchServer());
    return {
      description: describeServer(server),
      providerEnv: (prefix) => couchProviderEnv(server, prefix),
      drop: (prefix) => dropDatabases(server, prefix),
      close: () => server.close(),
    };
  },
  postgres: async (env) => {
    const { postgresProviderEnv, postgresServerFromEnv, startPostgresServer } = await import(
      '@gofannon/test-support'
    );
    const { DURABLE, describeServer, dropTables } = await import('./postgres');
    const server = postgresServerFromEnv(env) ?? (await startPostgresServer(DURABLE));
    let description: string;
    try {
      description = await describeServer(server);
    } catch (error) {
      await server.close();
      throw error;
    }
    return {
      description,
      providerEnv: (prefix) => postgresProviderEnv(server, prefix),
      drop: (prefix) => dropTables(server.url, prefix),
      close: () => server.close(),
    };
  },
  dynamodb: async (env) => {
    const {
      dynamoClientConfig,
      dynamoCredentialsEnv,
      dynamoProviderEnv,
      dynamoServerFromEnv,
      startDynamoServer,
    } = await import('@gofannon/test-support');
    const { describeServer, dropTables } = await import('./dynamodb');
    const server = dynamoServerFromEnv(env) ?? (await startDynamoServer());
    return {
      description: describeServer(server),
      providerEnv: (prefix) => ({
        ...dynamoProviderEnv(server, prefix),
        ...dynamoCredentialsEnv(server),
      }),
      drop: (prefix) => dropTables(dynamoClientConfig(server), prefix),
      close: () => server.close(),
    };
  },
  firestore: async (env) => {
    const {
      emulatorProcessEnv,
      firestoreEmulatorFromEnv,
      firestoreProviderEnv,
      startFirestoreEmulator,
    } = await import('@gofannon/test-support');
    const { BENCH_HEAP_MB, describeEmulator, resetProject } = await import('./firestore');
    const emulator =
      firestoreEmulatorFromEnv({ ...env }) ??
      (await startFirestoreEmulator({ heapMb: BENCH_HEAP_MB }));
    return {
      description: describeEmulator(emulator),
      providerEnv: (prefix) => ({
        ...firestoreProviderEnv(emulator, prefix),
        ...emulatorProcessEnv(emulator),
      }),
      // The run's project id is its own, so emptying all of it drops only what this run
      // wrote; an emulator slows down as it fills, so each measurement starts empty.
      drop: () => resetProject(emulator),
      close: async () => {
        if (emulator.external) await resetProject(emulator);
        await emulator.close();
      },
    };
  },
};

/** The providers whose server these bench modes can ready. */
export const SERVER_BACKEND_NAMES: readonly string[] = Object.keys(OPENERS);

/** Readies a provider's server; throws for an unknown provider. */
export function openServerBackend(provider: string, env: Env): Promise<ServerBackend> {
  const open = OPENERS[provider];
  if (!open) {
    throw new Error(
      `No server backend "${provider}"; choose from ${SERVER_BACKEND_NAMES.join(', ')}`,
    );
  }
  return open(env);
}

import {
  type CouchServer,
  couchProviderEnv,
  type DynamoServer,
  dynamoCredentialsEnv,
  dynamoProviderEnv,
  emulatorJarMissing,
  emulatorProcessEnv,
  type FirestoreEmulator,
  firestoreProviderEnv,
  type PostgresServer,
  postgresProviderEnv,
  startCouchServer,
  startDynamoServer,
  startFirestoreEmulator,
  startPostgresServer,
} from '@gofannon/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi } from './support/api';

/** The database deadline of these tests: a request to a dead backend must end soon after. */
const TIMEOUT_MS = 1500;

interface StoppableBackend {
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Servers of their own (never the shared ones of the other test files, nor one named by a
 * `*_URL` variable): these tests stop them.
 */
const outageCases: Array<{
  name: string;
  start(): Promise<{ server: StoppableBackend; env: Record<string, string> }>;
}> = [
  {
    name: 'couchdb',
    start: async () => {
      const server: CouchServer = await startCouchServer();
      return { server, env: couchProviderEnv(server, 'outage_') };
    },
  },
  {
    name: 'postgres',
    start: async () => {
      const server: PostgresServer = await startPostgresServer();
      return { server, env: postgresProviderEnv(server, 'outage_') };
    },
  },
  {
    name: 'dynamodb',
    start: async () => {
      const server: DynamoServer = await startDynamoServer();
      Object.assign(process.env, dynamoCredentialsEnv(server));
      return { server, env: dynamoProviderEnv(server, 'outage_') };
    },
  },
  ...(emulatorJarMissing()
    ? []
    : [
        {
          name: 'firestore',
          start: async () => {
            const server: FirestoreEmulator = await startFirestoreEmulator();
            Object.assign(process.env, emulatorProcessEnv(server));
            return { server, env: firestoreProviderEnv(server, 'outage_') };
          },
        },
      ]),
];

describe.each(outageCases)('a $name backend that goes down and comes back', (backend) => {
  let server: StoppableBackend;
  let app: FastifyInstance;
  beforeAll(async () => {
    const started = await backend.start();
    server = started.server;
    app = await startApi({ ...started.env, DATABASE_TIMEOUT_MS: String(TIMEOUT_MS) });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('answers 503 within the deadline while down, then recovers by itself', async () => {
    // A server that just started can be slow to take its first write (a cold JVM creating
    // its first table), so the first answer wanted in each phase is polled for. A write
    // that ran past the deadline may still have landed, making its retry a replace (200).
    const answered = async (method: 'GET' | 'PUT', url: string, body?: object) => {
      const deadline = Date.now() + 30_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await call(app, method, url, body)).statusCode;
        if (status < 500) return status;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return status;
    };
    expect([200, 201]).toContain(await answered('PUT', '/demos/d1', { name: 'before' }));
    expect((await call(app, 'GET', '/demos/d1')).json().name).toBe('before');
    await server.stop();

    for (const [method, url, body] of [
      ['GET', '/demos/d1', undefined],
      ['PUT', '/demos/d2', { name: 'x' }],
      ['GET', '/demos', undefined],
    ] as const) {
      const started = Date.now();
      const response = await call(app, method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(503);
      expect(response.json().error.code).toBe('unavailable');
      expect(response.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2000);
    }
    const health = await call(app, 'GET', '/health');
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'unavailable', provider: backend.name });

    await server.restart();
    // Back by itself: the same service object serves again once the server answers.
    expect(await answered('GET', '/health')).toBe(200);
    expect([200, 201]).toContain(await answered('PUT', '/demos/d3', { name: 'back' }));
    expect((await call(app, 'GET', '/demos/d3')).json().name).toBe('back');
  }, 90_000);
});

import {
  describeTelemetry,
  freeLoopbackPort,
  installTestTelemetry,
  type MetricPoint,
  type PostgresServer,
  usePostgresServer,
} from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresDatabaseService } from '../src';

let server: PostgresServer;

beforeAll(async () => {
  server = await usePostgresServer();
});
afterAll(async () => {
  await server?.close();
});

describeTelemetry('postgres', {
  open: async () => new PostgresDatabaseService({ connection: { connectionString: server.url } }),
  systemName: 'postgresql',
  countsRequests: true,
  // Nothing listens on a port just found free: every connection is refused at once.
  openUnreachable: async () =>
    new PostgresDatabaseService({
      connection: {
        connectionString: `postgres://gofannon@127.0.0.1:${await freeLoopbackPort()}/gofannon`,
      },
      timeoutMs: 5_000,
    }),
});

describe('postgres: pool gauges', () => {
  it('reports the pool: connections idle and used, its limit, calls waiting', async () => {
    const telemetry = installTestTelemetry();
    const service = new PostgresDatabaseService({
      connection: { connectionString: server.url },
      maxConnections: 3,
      tablePrefix: 'gauges_',
    });
    try {
      await service.save('gauges', 'one', {});
      const gauge = (points: MetricPoint[], name: string, state?: string) =>
        points.find(
          (point) =>
            point.name === name &&
            point.attributes['db.client.connection.pool.name'] === 'public.gauges_' &&
            point.attributes['db.client.connection.state'] === state,
        )?.value;
      const idle = await telemetry.collect();
      expect(gauge(idle, 'db.client.connection.max')).toBe(3);
      expect(gauge(idle, 'db.client.connection.count', 'idle')).toBe(1);
      expect(gauge(idle, 'db.client.connection.count', 'used')).toBe(0);
      expect(gauge(idle, 'db.client.connection.pending_requests')).toBe(0);
      expect(
        idle.find((point) => point.name === 'db.client.connection.max')?.attributes,
      ).toMatchObject({
        'db.system.name': 'postgresql',
      });
      // Four calls on three connections while the table is locked: all three connections
      // in use, one call waiting for a connection, until the lock goes.
      const locker = new pg.Client({ connectionString: server.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE public."gauges_gauges" IN ACCESS EXCLUSIVE MODE');
        const calls = Promise.all(
          ['a', 'b', 'c', 'd'].map((id) => service.save('gauges', id, { id })),
        );
        await vi.waitFor(
          async () => {
            const busy = await telemetry.collect();
            expect(gauge(busy, 'db.client.connection.count', 'used')).toBe(3);
            expect(gauge(busy, 'db.client.connection.pending_requests')).toBe(1);
          },
          { timeout: 5_000, interval: 20 },
        );
        await locker.query('COMMIT');
        await calls;
      } finally {
        await locker.end();
      }
    } finally {
      await service.close();
      await telemetry.uninstall();
    }
  });
});

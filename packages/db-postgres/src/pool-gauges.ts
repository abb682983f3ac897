import type { GaugeDefinition } from '@gofannon/db-core';
import type pg from 'pg';

/**
 * The connection pool's sizes, by OpenTelemetry's database client conventions: connections
 * idle and in use, the pool's limit, and calls waiting for a connection.
 */
export function poolGauges(pool: pg.Pool, max: number, poolName: string): GaugeDefinition[] {
  const named = { 'db.client.connection.pool.name': poolName };
  return [
    {
      name: 'db.client.connection.count',
      description: 'Connections of the pool, idle or used',
      unit: '{connection}',
      read: () => [
        { value: pool.idleCount, attributes: { ...named, 'db.client.connection.state': 'idle' } },
        {
          value: pool.totalCount - pool.idleCount,
          attributes: { ...named, 'db.client.connection.state': 'used' },
        },
      ],
    },
    {
      name: 'db.client.connection.max',
      description: 'The most connections the pool opens',
      unit: '{connection}',
      read: () => [{ value: max, attributes: named }],
    },
    {
      name: 'db.client.connection.pending_requests',
      description: 'Calls waiting for a connection of the pool',
      unit: '{request}',
      read: () => [{ value: pool.waitingCount, attributes: named }],
    },
  ];
}

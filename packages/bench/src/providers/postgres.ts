import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { PostgresDatabaseService } from '@gofannon/db-postgres';
import {
  type PostgresServer,
  postgresServerFromEnv,
  startPostgresServer,
} from '@gofannon/test-support';
import pg from 'pg';
import { everyOperation, type ThroughputGoal } from '../results';
import { PgBaseline } from '../targets/pg-baseline';
import { COLLECTIONS } from '../workload/shapes';
import type { BenchProvider } from './registry';
import { startStatementCounter } from './statement-counter';

/** Every operation at least 0.9 of the baseline's throughput. */
export const throughputGoals: readonly ThroughputGoal[] = everyOperation(0.9);

/** One saveMany call must beat as many single saves by at least this factor. */
const MIN_SAVE_MANY_SPEEDUP = 20;

/** Connections of each target's pool: the adapter's default, given to both explicitly. */
const POOL_SIZE = 10;

/**
 * A local bench server keeps PostgreSQL's default durability, with its data on disk (the
 * test fixture turns durability off and runs from memory, for speed): every commit waits
 * for its WAL flush, as in production, so single writes and batches are compared at their
 * real costs.
 */
export const DURABLE = {
  settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' },
  tempRoot: tmpdir(),
};

/**
 * Readies PostgreSQL for one run: the `POSTGRES_URL` server when set, else a local
 * PostgreSQL 15 started now, with default durability. Both targets count their statements with one counter, each
 * in tables of its own random prefix in the `public` schema; `close()` drops every table
 * of the run, then stops the local server.
 */
export async function openPostgresProvider(
  env: Readonly<Record<string, string | undefined>>,
): Promise<BenchProvider> {
  const server = postgresServerFromEnv(env) ?? (await startPostgresServer(DURABLE));
  let backend: string;
  try {
    backend = await describeServer(server);
  } catch (error) {
    await server.close();
    throw error;
  }
  const run = `bench_${randomBytes(6).toString('hex')}_`;
  const counter = startStatementCounter();
  const connection: pg.PoolConfig = {
    connectionString: server.url,
    onConnect: counter.onConnect,
  };

  return {
    backend,
    throughputGoals,
    wire: counter,
    extras: { minSaveManySpeedup: MIN_SAVE_MANY_SPEEDUP },
    makeAdapter: () =>
      new PostgresDatabaseService({
        connection,
        maxConnections: POOL_SIZE,
        tablePrefix: `${run}adapter_`,
      }),
    makeBaseline: () =>
      PgBaseline.create({ ...connection, max: POOL_SIZE }, `${run}raw_`, COLLECTIONS),
    async close() {
      try {
        await dropTables(server.url, run);
      } finally {
        await server.close();
      }
    },
  };
}

/** Which server, and its version; a password in `POSTGRES_URL` is not repeated. */
export async function describeServer(server: PostgresServer): Promise<string> {
  const version = await withClient(server.url, async (client) => {
    const { rows } = await client.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    return rows[0]?.version ?? 'unknown';
  });
  if (server.external)
    return `PostgreSQL ${version} at ${withoutPassword(server.url)} (POSTGRES_URL)`;
  return (
    `local PostgreSQL ${version} server (durable: fsync and synchronous_commit on, data on disk) ` +
    `at ${server.url}, pid ${server.pid}`
  );
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(POSTGRES_URL, not a URL)';
  }
}

/**
 * Drops every table in `public` whose name starts with `prefix`: the adapter's, and the
 * baseline's if it could not drop them itself. Talks to the server with a client of its own,
 * outside the statement counts. On a local server this only tidies up before it stops; on a
 * `POSTGRES_URL` server it leaves nothing of the run behind.
 */
export async function dropTables(url: string, prefix: string): Promise<void> {
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND starts_with(tablename, $1)",
      [prefix],
    );
    for (const { name } of rows) {
      await client.query(`DROP TABLE IF EXISTS public."${name.replaceAll('"', '""')}"`);
    }
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

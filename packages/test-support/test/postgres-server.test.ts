// Tests of the PostgreSQL test-server fixture itself, with plain `pg`. The second block runs
// against whatever usePostgresServer() gives (the POSTGRES_URL server when set), so it only
// asserts what any PostgreSQL 15 does; the last blocks start local servers and are skipped
// when POSTGRES_URL is set.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresServer,
  postgresServerFromEnv,
  startPostgresServer,
  usePostgresServer,
} from '../src';

const external = postgresServerFromEnv() !== undefined;

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function queryOne<T>(url: string, sql: string, params: unknown[] = []): Promise<T> {
  return withClient(url, async (client) => {
    const res = await client.query(sql, params);
    return res.rows[0] as T;
  });
}

/** The error code of a failed connection attempt, or 'connected'. */
async function connectOutcome(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return 'connected';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

function tcpOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function portOf(server: PostgresServer): number {
  return Number(new URL(server.url).port);
}

/** Local addresses (hex, as in /proc/net/tcp*) of the listening TCP sockets on `port`. */
function listeningAddresses(port: number): { tcp: string[]; tcp6: string[] } {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const read = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`))
      .map((cols) => (cols[1] ?? '').split(':')[0] ?? '');
  return {
    tcp: read('/proc/net/tcp'),
    tcp6: existsSync('/proc/net/tcp6') ? read('/proc/net/tcp6') : [],
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not reaped yet) does not count.
  return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

function procStatus(pid: number, field: string): string {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim() ?? '';
}

describe('postgresServerFromEnv', () => {
  it('is undefined when POSTGRES_URL is unset or blank', () => {
    expect(postgresServerFromEnv({})).toBeUndefined();
    expect(postgresServerFromEnv({ POSTGRES_URL: '  ' })).toBeUndefined();
  });

  it('describes an external server that cannot be stopped or restarted', async () => {
    const url = 'postgres://app:secret@db.example:5432/app';
    const server = postgresServerFromEnv({ POSTGRES_URL: ` ${url} ` });
    expect(server).toMatchObject({ url, pid: undefined, external: true, dir: undefined });
    await expect(server?.stop()).rejects.toThrow(/cannot stop an external PostgreSQL server/);
    await expect(server?.restart()).rejects.toThrow(/cannot restart an external PostgreSQL/);
    await expect(server?.close()).resolves.toBeUndefined();
  });
});

describe('PostgreSQL test server (POSTGRES_URL or local)', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await usePostgresServer();
  });
  afterAll(() => server?.close());

  it('answers SELECT version() with PostgreSQL 15 or later', async () => {
    const { version } = await queryOne<{ version: string }>(server.url, 'SELECT version()');
    expect(version).toMatch(/^PostgreSQL \d+/);
    const { num } = await queryOne<{ num: string }>(
      server.url,
      "SELECT current_setting('server_version_num') AS num",
    );
    expect(Number(num)).toBeGreaterThanOrEqual(150_000);
  });

  it('stores and returns UTF-8 JSONB', async () => {
    const doc = { s: 'héllo wörld ✓ 😀', n: [1, 2.5, null], nested: { ok: true } };
    const row = await withClient(server.url, async (client) => {
      await client.query('CREATE TEMP TABLE fixture_docs (id text PRIMARY KEY, body jsonb)');
      await client.query('INSERT INTO fixture_docs VALUES ($1, $2)', ['a', doc]);
      const res = await client.query('SELECT body FROM fixture_docs WHERE id = $1', ['a']);
      return res.rows[0];
    });
    expect(row.body).toEqual(doc);
    const { encoding } = await queryOne<{ encoding: string }>(
      server.url,
      "SELECT current_setting('server_encoding') AS encoding",
    );
    expect(encoding).toBe('UTF8');
  });

  it('accepts 50 concurrent connections', async () => {
    // Plain clients, not a pg.Pool: pool.end() resolves before its connections have closed.
    const clients = Array.from(
      { length: 50 },
      () => new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 10_000 }),
    );
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const pids = await Promise.all(
        clients.map(async (c) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid),
      );
      expect(new Set(pids).size).toBe(50);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    }
  });
});

describe.skipIf(external)('local PostgreSQL test server', () => {
  let server: PostgresServer;
  let port: number;
  beforeAll(async () => {
    server = await startPostgresServer();
    port = portOf(server);
  });
  afterAll(() => server?.close());

  it('is PostgreSQL 15 at postgres://postgres@127.0.0.1:PORT/postgres', async () => {
    expect(server.external).toBe(false);
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${port}/postgres`);
    const { version } = await queryOne<{ version: string }>(server.url, 'SELECT version()');
    expect(version).toMatch(/^PostgreSQL 15\.\d+ /);
  });

  it('runs with the test settings', async () => {
    const settings = await queryOne<Record<string, string>>(
      server.url,
      `SELECT current_setting('max_connections') AS max_connections,
              current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS synchronous_commit,
              current_setting('full_page_writes') AS full_page_writes,
              current_setting('dynamic_shared_memory_type') AS dynamic_shared_memory_type,
              current_setting('listen_addresses') AS listen_addresses,
              current_setting('data_directory') AS data_directory,
              current_setting('lc_collate') AS lc_collate,
              current_user AS user`,
    );
    expect(settings).toEqual({
      max_connections: '200',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      dynamic_shared_memory_type: 'mmap',
      listen_addresses: '127.0.0.1',
      data_directory: join(server.dir ?? '?', 'data'),
      lc_collate: 'C.UTF-8',
      user: 'postgres',
    });
  });

  it('listens on 127.0.0.1 only', async () => {
    // 0100007F is 127.0.0.1 in /proc/net/tcp's byte order; no IPv6 and no wildcard socket.
    expect(listeningAddresses(port)).toEqual({ tcp: ['0100007F'], tcp6: [] });
    expect(await tcpOutcome('127.0.0.2', port)).toBe('ECONNREFUSED');
    expect(await tcpOutcome('127.0.0.1', port)).toBe('connected');
    // Its Unix socket is in the server's own dir, not /var/run/postgresql.
    expect(existsSync(join(server.dir ?? '?', 'sock', `.s.PGSQL.${port}`))).toBe(true);
  });

  it('runs postgres as a direct child of the test process, not as root', () => {
    const pid = server.pid;
    expect(pid).toBeTypeOf('number');
    if (pid === undefined) return;
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('postgres');
    expect(procStatus(pid, 'PPid')).toBe(String(process.pid));
    const [realUid] = procStatus(pid, 'Uid').split(/\s+/);
    expect(realUid).not.toBe('0');
    expect(String(statSync(join(server.dir ?? '?', 'data')).uid)).toBe(realUid);
  });

  it('stop() makes connections fail; restart() comes back on the same port with the data', async () => {
    const firstPid = server.pid;
    const url = server.url;
    await withClient(url, async (client) => {
      await client.query('CREATE TABLE kept (id int PRIMARY KEY, note text)');
      await client.query("INSERT INTO kept VALUES (1, 'before stop'), (2, 'ünïcode')");
    });
    // A client still connected does not hold up the (fast) shutdown.
    const idle = new pg.Client({ connectionString: url });
    idle.on('error', () => {});
    await idle.connect();

    const stopStarted = Date.now();
    const first = server.stop();
    expect(server.pid).toBeUndefined();
    await server.stop(); // a concurrent stop() waits for the same shutdown
    expect(Date.now() - stopStarted).toBeLessThan(5_000);
    expect(firstPid !== undefined && isRunning(firstPid)).toBe(false);
    await first;
    expect(await connectOutcome(url)).toBe('ECONNREFUSED');
    expect(listeningAddresses(port)).toEqual({ tcp: [], tcp6: [] });
    await idle.end().catch(() => {});
    await server.stop(); // stopping a stopped server is fine

    await server.restart();
    expect(server.url).toBe(url);
    expect(server.pid).toBeTypeOf('number');
    expect(server.pid).not.toBe(firstPid);
    const rows = await withClient(url, async (client) => {
      return (await client.query('SELECT id, note FROM kept ORDER BY id')).rows;
    });
    expect(rows).toEqual([
      { id: 1, note: 'before stop' },
      { id: 2, note: 'ünïcode' },
    ]);

    await server.restart(); // restart() of a running server stops it first
    expect(await queryOne<{ n: string }>(url, 'SELECT count(*) AS n FROM kept')).toEqual({
      n: '2',
    });
  });

  it('gives independent servers on different ports and dirs', async () => {
    const [a, b] = await Promise.all([startPostgresServer(), startPostgresServer()]);
    try {
      expect(new Set([port, portOf(a), portOf(b)]).size).toBe(3);
      expect(new Set([server.dir, a.dir, b.dir]).size).toBe(3);
      await withClient(a.url, (c) => c.query('CREATE TABLE only_in_a (x int)'));
      const inB = await queryOne<{ t: string | null }>(
        b.url,
        "SELECT to_regclass('only_in_a')::text AS t",
      );
      expect(inB.t).toBeNull();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('close() stops the server and deletes its dir', async () => {
    const other = await startPostgresServer();
    const { dir, pid, url } = other;
    expect(dir && existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(true);
    const closing = other.close();
    await other.close(); // a concurrent close() waits for the same clean-up
    expect(dir && existsSync(dir)).toBe(false);
    await closing;
    expect(pid !== undefined && isRunning(pid)).toBe(false);
    expect(await connectOutcome(url)).toBe('ECONNREFUSED');
    await other.close(); // closing twice is fine
    await expect(other.restart()).rejects.toThrow(/closed/);
  });

  it('leaves no shared memory segment behind when its postmaster is killed', async () => {
    // Not by scanning /dev/shm before and after: initdb of any other PostgreSQL on the
    // machine (a parallel test process making its cluster) creates and removes probe
    // segments there. The server's own segments are files in its temp dir instead.
    const other = await startPostgresServer();
    const pid = other.pid as number;
    const dir = other.dir as string;
    const segmentDir = join(dir, 'data', 'pg_dynshmem');
    await withClient(other.url, async (client) => {
      const { rows } = await client.query('SHOW dynamic_shared_memory_type');
      expect(rows[0].dynamic_shared_memory_type).toBe('mmap');
      // A parallel scan makes the server create dynamic shared memory segments.
      await client.query('CREATE TABLE numbers AS SELECT generate_series(1, 50000) AS n');
      await client.query(
        'SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; ' +
          'SET min_parallel_table_scan_size = 0',
      );
      const plan = await client.query('EXPLAIN (ANALYZE) SELECT count(*) FROM numbers');
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
        /Workers Launched: [1-9]/,
      );
    });
    // The postmaster's control segment, in the temp dir rather than in /dev/shm.
    expect(readdirSync(segmentDir).some((name) => name.startsWith('mmap.'))).toBe(true);
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => isRunning(pid)).toBe(false);
    await other.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('passes extra settings, and reports a failed start with the server log', async () => {
    const tuned = await startPostgresServer({ settings: { statement_timeout: 1234 } });
    try {
      const row = await queryOne<{ t: string }>(
        tuned.url,
        "SELECT current_setting('statement_timeout') AS t",
      );
      expect(row.t).toBe('1234ms');
    } finally {
      await tuned.close();
    }

    const error = await startPostgresServer({ settings: { max_connections: 'lots' } }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toMatch(/exited before it was ready/);
    expect(error?.message).toMatch(/--- server log ---/);
    expect(error?.message).toMatch(/invalid value for parameter "max_connections"/);
    // Its dir was deleted.
    const dir = /, (\/\S+)\/data\)/.exec(error?.message ?? '')?.[1];
    expect(dir).toBeTruthy();
    expect(dir && existsSync(dir)).toBe(false);
  });
});

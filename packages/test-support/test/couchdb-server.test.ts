// Tests of the CouchDB test-server fixture itself, with plain fetch. The first block runs
// against whatever useCouchServer() gives (COUCHDB_URL, else real CouchDB 3.5 where its
// launcher is present, else the stand-in), so it only asserts what CouchDB 3 does too; the
// second block starts each kind of local server that this machine has.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COUCHDB_TEST_SERVER_VARIABLE,
  type CouchServer,
  couchServerFromEnv,
  isAlive,
  startCouchServer,
  useCouchServer,
} from '../src';
import { couchLauncher } from '../src/couchdb/real-couchdb';

/** The local kinds to test here: the stand-in always, real CouchDB where its launcher is. */
const localKinds = couchLauncher(process.env).found
  ? (['real', 'pouchdb'] as const)
  : (['pouchdb'] as const);

function startKind(kind: 'real' | 'pouchdb'): Promise<CouchServer> {
  return startCouchServer({ ...process.env, [COUCHDB_TEST_SERVER_VARIABLE]: kind });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function request(
  couch: CouchServer,
  method: string,
  path: string,
  options: { auth?: 'admin' | 'none' | 'wrong'; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const auth = options.auth ?? 'admin';
  if (auth === 'admin') headers.authorization = basic(couch.user, couch.password);
  if (auth === 'wrong') headers.authorization = basic(couch.user, `${couch.password}-wrong`);
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  return fetch(`${couch.url}${path}`, { method, headers, body });
}

async function isUp(couch: CouchServer): Promise<boolean> {
  const res = await fetch(`${couch.url}/`);
  await res.arrayBuffer();
  return res.ok;
}

function dbName(): string {
  return `fixture-${randomUUID()}`;
}

describe('CouchDB test server (COUCHDB_URL or local)', () => {
  let couch: CouchServer;
  const created: string[] = [];

  beforeAll(async () => {
    couch = await useCouchServer();
  });
  afterAll(async () => {
    if (!couch) return;
    for (const db of created) await request(couch, 'DELETE', `/${db}`);
    await couch.close();
  });

  async function createDb(): Promise<string> {
    const db = dbName();
    const res = await request(couch, 'PUT', `/${db}`);
    expect(res.status).toBe(201);
    created.push(db);
    return db;
  }

  it('answers GET / with a CouchDB-like welcome', async () => {
    const res = await fetch(`${couch.url}/`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.values(body).some((v) => typeof v === 'string' && v.startsWith('Welcome'))).toBe(
      true,
    );
    expect(typeof body.version).toBe('string');
  });

  it('lets the admin create a database and write and read a document', async () => {
    const db = await createDb();
    const put = await request(couch, 'PUT', `/${db}/doc-1`, { body: { a: 1, s: 'héllo' } });
    expect(put.status).toBe(201);
    const { ok, rev } = (await put.json()) as { ok: boolean; rev: string };
    expect(ok).toBe(true);
    const get = await request(couch, 'GET', `/${db}/doc-1`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ _id: 'doc-1', _rev: rev, a: 1, s: 'héllo' });
  });

  it('answers 401 to a wrong password and creates nothing', async () => {
    const db = dbName();
    const res = await request(couch, 'PUT', `/${db}`, { auth: 'wrong' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized');
    expect((await request(couch, 'GET', `/${db}`)).status).toBe(404);
  });

  it('refuses an anonymous PUT /db with 401 and keeps running', async () => {
    const db = dbName();
    const res = await request(couch, 'PUT', `/${db}`, { auth: 'none' });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
    expect(await isUp(couch)).toBe(true);
    expect((await request(couch, 'GET', `/${db}`)).status).toBe(404);
  });

  it('keeps new databases admin-only, as CouchDB 3 does', async () => {
    const db = await createDb();
    expect((await request(couch, 'PUT', `/${db}/d`, { body: { x: 1 } })).status).toBe(201);
    expect((await request(couch, 'GET', `/${db}/d`, { auth: 'none' })).status).toBe(401);
    expect((await request(couch, 'PUT', `/${db}/e`, { auth: 'none', body: {} })).status).toBe(401);
    expect((await request(couch, 'DELETE', `/${db}`, { auth: 'none' })).status).toBe(401);
    expect(await isUp(couch)).toBe(true);
  });

  it('stores and returns a document of almost 8 MB', async () => {
    // Real CouchDB 3 refuses documents over max_document_size = 8000000 bytes.
    const db = await createDb();
    const big = 'x'.repeat(7_900_000);
    const put = await request(couch, 'PUT', `/${db}/big`, { body: { big } });
    expect(put.status).toBe(201);
    const get = await request(couch, 'GET', `/${db}/big`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { big: string }).big).toBe(big);
  });
});

/** Listening TCP sockets of the given process on the given port, as "address:port". */
function listeningSockets(pid: number, port: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // the fd closed meanwhile
    }
  }
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const [, local = '', , state, , , , , , inode = ''] = line.trim().split(/\s+/);
      const [hexAddr = '', hexPort = ''] = local.split(':');
      if (state !== '0A' || !inodes.has(inode) || Number.parseInt(hexPort, 16) !== port) continue;
      const address =
        hexAddr.length === 8
          ? (hexAddr.match(/../g) ?? [])
              .map((b) => Number.parseInt(b, 16))
              .reverse()
              .join('.')
          : `[${hexAddr}]`;
      found.push(`${address}:${port}`);
    }
  }
  return found;
}

async function connectionRefused(url: string): Promise<boolean> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return false;
  } catch (err) {
    return (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

describe.each(localKinds)('local CouchDB test server fixture (%s)', (kind) => {
  let couch: CouchServer;

  beforeAll(async () => {
    couch = await startKind(kind);
  });

  it('is the kind asked for and says so', () => {
    expect(couch.kind).toBe(kind === 'real' ? 'couchdb' : 'pouchdb');
    expect(couch.description).toContain(couch.url);
  });
  afterAll(async () => {
    await couch?.close();
  });

  it('listens on 127.0.0.1 only', async () => {
    const port = Number(new URL(couch.url).port);
    expect(couch.url).toBe(`http://127.0.0.1:${port}`);
    expect(couch.pid).toBeTypeOf('number');
    expect(listeningSockets(couch.pid as number, port)).toEqual([`127.0.0.1:${port}`]);
    // Any other loopback address reaches this host too, but nothing listens there.
    expect(await connectionRefused(`http://127.0.0.2:${port}/`)).toBe(true);
  });

  it('stop() refuses connections, restart() serves again on the same port', async () => {
    const db = dbName();
    expect((await request(couch, 'PUT', `/${db}`)).status).toBe(201);
    const oldPid = couch.pid as number;

    await couch.stop();
    expect(couch.pid).toBeUndefined();
    expect(isAlive(oldPid)).toBe(false);
    expect(await connectionRefused(`${couch.url}/`)).toBe(true);

    await couch.restart();
    expect(couch.pid).toBeTypeOf('number');
    expect(couch.pid).not.toBe(oldPid);
    expect(await isUp(couch)).toBe(true);
    // Same admin. Real CouchDB keeps its data on disk; the in-memory stand-in starts empty.
    if (kind === 'real') {
      expect((await request(couch, 'GET', `/${db}`)).status).toBe(200);
    } else {
      expect((await request(couch, 'GET', `/${db}`)).status).toBe(404);
      expect((await request(couch, 'PUT', `/${db}`)).status).toBe(201);
    }
    expect((await request(couch, 'GET', `/${db}`, { auth: 'wrong' })).status).toBe(401);
  });

  it('close() stops the server for good', async () => {
    const other = await startKind(kind);
    const pid = other.pid as number;
    await other.close();
    expect(isAlive(pid)).toBe(false);
    expect(await connectionRefused(`${other.url}/`)).toBe(true);
    await expect(other.restart()).rejects.toThrow(/closed/);
  });
});

describe('startCouchServer', () => {
  it('refuses an unknown server choice', async () => {
    await expect(startCouchServer({ [COUCHDB_TEST_SERVER_VARIABLE]: 'mysql' })).rejects.toThrow(
      /"real" or "pouchdb"/,
    );
  });

  it('fails with the launcher path when the real server is demanded and missing', async () => {
    await expect(
      startCouchServer({
        [COUCHDB_TEST_SERVER_VARIABLE]: 'real',
        GOFANNON_COUCHDB_LAUNCHER: '/nonexistent/couchdb-server',
      }),
    ).rejects.toThrow(/launcher is missing: \/nonexistent\/couchdb-server/);
  });
});

describe('couchServerFromEnv', () => {
  it('is undefined without COUCHDB_URL', () => {
    expect(couchServerFromEnv({})).toBeUndefined();
  });

  it('describes an external server that cannot be stopped', async () => {
    const external = couchServerFromEnv({
      COUCHDB_URL: 'http://127.0.0.1:5984/',
      COUCHDB_USER: 'root',
      COUCHDB_PASSWORD: 'pw',
    });
    expect(external).toMatchObject({
      url: 'http://127.0.0.1:5984',
      user: 'root',
      password: 'pw',
      pid: undefined,
      external: true,
    });
    await expect(external?.stop()).rejects.toThrow(/cannot stop an external server/);
    await expect(external?.restart()).rejects.toThrow(/cannot restart an external server/);
    await expect(external?.close()).resolves.toBeUndefined();
  });

  it('takes credentials from the URL when the variables are unset', () => {
    const external = couchServerFromEnv({ COUCHDB_URL: 'http://ad%40min:p%3Aw@localhost:5984' });
    expect(external).toMatchObject({
      url: 'http://localhost:5984',
      user: 'ad@min',
      password: 'p:w',
    });
  });

  it('refuses a COUCHDB_URL without credentials', () => {
    expect(() => couchServerFromEnv({ COUCHDB_URL: 'http://localhost:5984' })).toThrow(
      /COUCHDB_USER/,
    );
  });
});

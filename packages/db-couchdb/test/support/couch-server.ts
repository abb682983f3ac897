/**
 * A CouchDB server for the integration tests.
 *
 * - `COUCHDB_URL` set (with `COUCHDB_USER` / `COUCHDB_PASSWORD`, or credentials in the
 *   URL): that server is used as it is (a real CouchDB 3, e.g. the docker-compose one).
 * - Otherwise a local CouchDB-compatible server (PouchDB's express-pouchdb, in memory) is
 *   started as a child process on a free 127.0.0.1 port, with an admin user and a random
 *   password. It is not CouchDB: write the adapter for CouchDB 3 (see BACKENDS.md).
 *
 * Typical use in a test file:
 *
 *   let couch: CouchServer;
 *   beforeAll(async () => { couch = await useCouchServer(); });
 *   afterAll(() => couch?.close());
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  externalServerControls,
  isBeingStopped,
  killOnExit,
  stopChild,
  withLocalServerControls,
} from '@gofannon/test-support';

export interface CouchServer {
  /** `http://127.0.0.1:PORT` (no credentials, no trailing slash). */
  readonly url: string;
  /** A server admin. */
  readonly user: string;
  readonly password: string;
  /** Process id of the local server; a new one after `restart()`. Undefined for an external server. */
  readonly pid: number | undefined;
  /** True for a server described by `COUCHDB_URL`, which the tests cannot stop. */
  readonly external: boolean;
  /** Kills the local server (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts the local server again on the same port with the same admin. Data starts empty. */
  restart(): Promise<void>;
  /** Stops the local server for good; a no-op for an external server. */
  close(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./couch-server-main.mjs', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_CHARS = 8_000;

/** The server named by `COUCHDB_URL`, or undefined when it is not set. */
export function couchServerFromEnv(env: NodeJS.ProcessEnv = process.env): CouchServer | undefined {
  const raw = env.COUCHDB_URL?.trim();
  if (!raw) return undefined;
  const parsed = new URL(raw);
  const user = env.COUCHDB_USER ?? decodeURIComponent(parsed.username);
  const password = env.COUCHDB_PASSWORD ?? decodeURIComponent(parsed.password);
  if (!user || !password) {
    throw new Error(
      'COUCHDB_URL is set but no admin credentials: set COUCHDB_USER and COUCHDB_PASSWORD ' +
        '(or put them in the URL)',
    );
  }
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString().replace(/\/+$/, '');
  return { url, user, password, ...externalServerControls('server', `COUCHDB_URL=${url}`) };
}

/** The `COUCHDB_URL` server if set, else a freshly started local one. */
export async function useCouchServer(): Promise<CouchServer> {
  return couchServerFromEnv() ?? (await startCouchServer());
}

/** Starts a local CouchDB-compatible server on a free 127.0.0.1 port. */
export async function startCouchServer(): Promise<CouchServer> {
  const user = 'admin';
  const password = randomBytes(18).toString('base64url');
  const first = await spawnServer(0, user, password);
  const { port } = first;
  return withLocalServerControls(
    { url: `http://127.0.0.1:${port}`, user, password },
    'CouchDB test server',
    first.child,
    {
      start: async () => (await spawnServer(port, user, password)).child,
      stop: stopServer,
      pid: (child) => child.pid,
    },
  );
}

function spawnServer(
  port: number,
  user: string,
  password: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [MAIN, String(port)], {
    env: {
      ...process.env,
      COUCH_SERVER_ADMIN_USER: user,
      COUCH_SERVER_ADMIN_PASSWORD: password,
      COUCH_SERVER_EXIT_WITH_STDIN: '1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  killOnExit(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });

  return new Promise((resolve, reject) => {
    let stdout = '';
    let settled = false;
    const onError = (err: Error) => fail(`could not be spawned: ${err.message}`);
    const onExit = (code: number | null, sig: string | null) =>
      fail(`exited before it was ready (code ${code}, signal ${sig})`);
    const timer = setTimeout(
      () => fail(`was not ready within ${READY_TIMEOUT_MS} ms`),
      READY_TIMEOUT_MS,
    );
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      child.off('error', onError);
      child.off('exit', onExit);
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume(); // keep draining
    };
    function fail(reason: string) {
      if (settled) return;
      settle();
      void stopServer(child).finally(() => {
        const detail = stderr.trim() ? `\n--- server stderr ---\n${stderr.trim()}` : '';
        reject(new Error(`CouchDB test server (${MAIN}) ${reason}${detail}`));
      });
    }
    child.on('error', onError);
    child.on('exit', onExit);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      const line = stdout.slice(0, newline);
      let port: unknown;
      try {
        port = JSON.parse(line).port;
      } catch {
        return fail(`printed an unexpected first line: ${line}`);
      }
      if (typeof port !== 'number') return fail(`printed no port: ${line}`);
      settle();
      child.on('error', () => {}); // a late spawn/kill error must not be unhandled
      child.once('exit', (code, sig) => {
        if (isBeingStopped(child)) return;
        process.stderr.write(
          `CouchDB test server pid ${child.pid} (port ${port}) died: code ${code}, signal ${sig}` +
            `\n--- server stderr ---\n${stderr.trim()}\n`,
        );
      });
      resolve({ child, port });
    });
  });
}

/** SIGTERM by pid, SIGKILL if it has not exited after STOP_TIMEOUT_MS; resolves once it has exited. */
function stopServer(child: ChildProcess): Promise<void> {
  return stopChild(child, { label: 'CouchDB test server', timeoutMs: STOP_TIMEOUT_MS });
}

/**
 * The CouchDB server a test talks to, chosen once per call of {@link useCouchServer}:
 *
 * 1. `COUCHDB_URL` set (with `COUCHDB_USER` / `COUCHDB_PASSWORD`, or credentials in the URL):
 *    that server, as it is. The tests never stop it.
 * 2. Else the real Apache CouchDB 3.5.0 of `../shared/couchdb/` (beside the repository on
 *    developer machines and in CI), started on a free 127.0.0.1 port in a fresh folder.
 * 3. Else (a user's clone has no `shared/`) PouchDB's CouchDB-compatible server, in memory.
 *    It is NOT CouchDB (see BACKENDS.md): the adapter is written for the real one.
 *
 * `GOFANNON_COUCHDB_TEST_SERVER=pouchdb` forces 3 where 2 is available; `=real` makes a
 * missing launcher an error instead of a fallback. The choice is printed once per process.
 */
import { externalServerControls } from '../external-server';
import { startPouchStandIn } from './pouchdb-stand-in';
import { couchLauncher, startRealCouchServer } from './real-couchdb';

/** Which server it is: the kinds differ in what survives a restart and in a few behaviours. */
export type CouchServerKind = 'couchdb' | 'pouchdb' | 'external';

export interface CouchServer {
  /** `http://127.0.0.1:PORT` (no credentials, no trailing slash). */
  readonly url: string;
  /** A server admin. */
  readonly user: string;
  readonly password: string;
  readonly kind: CouchServerKind;
  /** One line for test output: which server this is and where. */
  readonly description: string;
  /** Process id of a local server; a new one after `restart()`. Undefined for an external one. */
  readonly pid: number | undefined;
  /** True for a server described by `COUCHDB_URL`, which the tests cannot stop. */
  readonly external: boolean;
  /** Stops the local server by pid and waits until it is gone. */
  stop(): Promise<void>;
  /**
   * Starts the local server again on the same port with the same admin. Real CouchDB keeps
   * its data across the restart; the PouchDB stand-in starts empty.
   */
  restart(): Promise<void>;
  /** Stops the local server for good and removes what it wrote; a no-op for an external one. */
  close(): Promise<void>;
}

/** The variable that picks the local server: `real`, `pouchdb`, or unset for "real if present". */
export const COUCHDB_TEST_SERVER_VARIABLE = 'GOFANNON_COUCHDB_TEST_SERVER';

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
  return {
    url,
    user,
    password,
    kind: 'external',
    description: `the CouchDB at ${url} (COUCHDB_URL)`,
    ...externalServerControls('server', `COUCHDB_URL=${url}`),
  };
}

/** The `COUCHDB_URL` server if set, else a freshly started local one (see the file comment). */
export async function useCouchServer(env: NodeJS.ProcessEnv = process.env): Promise<CouchServer> {
  const server = couchServerFromEnv(env) ?? (await startCouchServer(env));
  announce(server);
  return server;
}

/** Starts a local server: real CouchDB where its launcher is present, else the stand-in. */
export async function startCouchServer(env: NodeJS.ProcessEnv = process.env): Promise<CouchServer> {
  const wanted = env[COUCHDB_TEST_SERVER_VARIABLE]?.trim() || 'auto';
  if (wanted !== 'auto' && wanted !== 'real' && wanted !== 'pouchdb') {
    throw new Error(`${COUCHDB_TEST_SERVER_VARIABLE} must be "real" or "pouchdb", got "${wanted}"`);
  }
  if (wanted === 'pouchdb') return startPouchStandIn();
  const launcher = couchLauncher(env);
  if (launcher.found) return startRealCouchServer(launcher.path);
  if (wanted === 'real') {
    throw new Error(
      `${COUCHDB_TEST_SERVER_VARIABLE}=real, but the CouchDB launcher is missing: ${launcher.path}`,
    );
  }
  return startPouchStandIn();
}

const announced = new Set<string>();

/** Says once per process and server kind which CouchDB the tests run on. */
function announce(server: CouchServer): void {
  if (announced.has(server.kind)) return;
  announced.add(server.kind);
  process.stderr.write(`[couchdb tests] running on ${server.description}\n`);
}

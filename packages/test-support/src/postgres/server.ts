/**
 * A real PostgreSQL 15 server for the integration tests, without Docker.
 *
 * - `POSTGRES_URL` set: that server is used as it is (it cannot be stopped or restarted).
 * - Otherwise a throw-away cluster is created in a temp dir and a `postgres` postmaster runs
 *   as a direct child of the test process on a free 127.0.0.1 port, with trust auth (loopback
 *   only, no password) and durability switched off (fsync, synchronous_commit,
 *   full_page_writes). The binaries come from `POSTGRES_BIN_DIR`, default
 *   `/usr/lib/postgresql/15/bin`.
 *
 * initdb and postgres refuse to run as root: when the tests run as root (as in CI) both are
 * spawned with the uid/gid of the `postgres` OS user, on a temp dir chowned to it; otherwise
 * they run as the current user. The cluster is made by initdb once per test process (about
 * 1 s) and copied for each server (about 0.1 s).
 *
 * Temp dirs go in `POSTGRES_TEST_TMPDIR` if set, else in /dev/shm when it is a tmpfs with at
 * least 1 GiB free (copying and running a cluster there is several times faster than on a busy
 * disk, and nothing needs to survive a reboot), else in the OS temp dir.
 *
 * Nothing is left behind: `close()` stops the server and deletes its temp dir (dynamic
 * shared memory included: it is kept in files there, not in /dev/shm); an `exit`
 * handler SIGKILLs any postmaster still running (its backends then exit by themselves); and
 * a small watchdog shell per temp dir, which waits on a pipe from this process, kills the
 * postmaster and deletes the dir when this process dies without cleaning up (even by SIGKILL).
 *
 * Typical use in a test file:
 *
 *   let pg: PostgresServer;
 *   beforeAll(async () => { pg = await usePostgresServer(); });
 *   afterAll(() => pg?.close());
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, chown, constants, mkdir, mkdtemp, realpath, rm, statfs } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { externalServerControls } from '../external-server';
import { freeLoopbackPort } from '../ports';
import { isBeingStopped, killOnExit, signalAndWait, signalProcess } from '../processes';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` for a local server (superuser, trust auth). */
  readonly url: string;
  /** Process id of the local postmaster; a new one after `restart()`. Undefined when stopped or external. */
  readonly pid: number | undefined;
  /** True for the server named by `POSTGRES_URL`, which the tests cannot stop. */
  readonly external: boolean;
  /** The local server's temp dir (cluster in `data/`, Unix socket in `sock/`); undefined when external. */
  readonly dir: string | undefined;
  /** Fast shutdown (SIGINT), SIGKILL after a bound; resolves once the postmaster has exited. */
  stop(): Promise<void>;
  /** Starts the local server again on the same port with the same data dir: data survives. */
  restart(): Promise<void>;
  /** Stops the local server for good and deletes its temp dir; a no-op for an external server. */
  close(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Extra server settings, passed as `-c name=value` (they override the defaults below). */
  settings?: Record<string, string | number | boolean>;
  /**
   * Where the server's temp dir goes instead of the usual choice below: a disk-backed
   * folder, say, when durable settings should cost what they cost in production.
   */
  tempRoot?: string;
}

const BIN_DIR = process.env.POSTGRES_BIN_DIR?.trim() || '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';
const DB_USER = 'postgres';
const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  max_connections: '200',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  // Segments as files in the data dir, which goes with the temp dir: the default (POSIX
  // shared memory) leaves them in /dev/shm when a postmaster is SIGKILLed.
  dynamic_shared_memory_type: 'mmap',
};
const INITDB_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const KILL_TIMEOUT_MS = 5_000;
const PORT_ATTEMPTS = 5;
const TMPFS = '/dev/shm';
const TMPFS_MIN_FREE_BYTES = 1024 ** 3;
const TMPFS_MAGIC = 0x01021994;
const LOG_TAIL_CHARS = 8_000;

const execFileAsync = promisify(execFile);

/** The server named by `POSTGRES_URL`, or undefined when it is not set. */
export function postgresServerFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): PostgresServer | undefined {
  const url = env.POSTGRES_URL?.trim();
  if (!url) return undefined;
  return {
    url,
    dir: undefined,
    ...externalServerControls('PostgreSQL server', 'POSTGRES_URL is set'),
  };
}

/** The `POSTGRES_URL` server if set, else a freshly started local one. */
export async function usePostgresServer(options?: StartPostgresOptions): Promise<PostgresServer> {
  return postgresServerFromEnv() ?? (await startPostgresServer(options));
}

/** Starts a local PostgreSQL server on a free 127.0.0.1 port, in a new temp dir. */
export async function startPostgresServer(
  options: StartPostgresOptions = {},
): Promise<PostgresServer> {
  const owner = osUser();
  const template = await clusterTemplate(owner);
  // Real path: the watchdog and the readiness check compare it with what postgres reports.
  const dir = await realpath(
    await mkdtemp(join(options.tempRoot ?? (await tempRoot()), 'gofannon-pg-')),
  );
  const watchdog = spawnWatchdog(dir);
  const settings = { ...DEFAULT_SETTINGS, ...settingValues(options.settings ?? {}) };
  const log = new LogTail();
  let child: ChildProcess | undefined;
  let port: number;
  try {
    await mkdir(join(dir, 'sock'));
    if (owner) {
      await chown(dir, owner.uid, owner.gid);
      await chown(join(dir, 'sock'), owner.uid, owner.gid);
    }
    await execFileAsync('cp', ['-a', join(template, 'data'), join(dir, 'data')]);
    ({ child, port } = await startOnFreePort(dir, settings, owner, log));
  } catch (err) {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    killWatchdog(watchdog);
    throw err;
  }

  let stopping: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  // Concurrent calls wait for the same shutdown.
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running) {
      stopping = stopPostmaster(running, log).finally(() => {
        stopping = undefined;
      });
    }
    await stopping;
  };

  return {
    url: `postgres://${DB_USER}@127.0.0.1:${port}/postgres`,
    get pid() {
      const running = child && child.exitCode === null && child.signalCode === null;
      return running ? child?.pid : undefined;
    },
    external: false,
    dir,
    stop,
    async restart() {
      if (closing) throw new Error('cannot restart a closed PostgreSQL test server');
      await stop();
      child = await startOnPort(dir, port, settings, owner, log, PORT_ATTEMPTS);
    },
    close() {
      closing ??= (async () => {
        try {
          await stop();
        } finally {
          await rm(dir, { recursive: true, force: true, maxRetries: 3 });
          killWatchdog(watchdog);
        }
      })();
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running as the postgres OS user

interface Owner {
  uid: number;
  gid: number;
}

let cachedOwner: Owner | null | undefined;

/** The postgres OS user when running as root (initdb and postgres refuse root), else null. */
function osUser(): Owner | null {
  if (cachedOwner !== undefined) return cachedOwner;
  if (process.getuid?.() !== 0) {
    cachedOwner = null;
    return null;
  }
  const id = (flag: string) => {
    try {
      return Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8' }).trim());
    } catch {
      throw new Error(
        `the tests run as root, so PostgreSQL must run as the "${OS_USER}" OS user, which does not exist`,
      );
    }
  };
  cachedOwner = { uid: id('-u'), gid: id('-g') };
  return cachedOwner;
}

/** Spawn options that drop to the postgres user (libuv also clears supplementary groups). */
function asOwner(owner: Owner | null, cwd: string) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return owner ? { cwd, env, uid: owner.uid, gid: owner.gid } : { cwd, env };
}

function binary(name: string): string {
  const path = join(BIN_DIR, name);
  if (!existsSync(path)) {
    throw new Error(
      `PostgreSQL binary ${path} not found: install PostgreSQL 15, set POSTGRES_BIN_DIR, ` +
        'or set POSTGRES_URL to use an existing server',
    );
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// Where the temp dirs go

let tempRootPromise: Promise<string> | undefined;

function tempRoot(): Promise<string> {
  tempRootPromise ??= chooseTempRoot();
  return tempRootPromise;
}

async function chooseTempRoot(): Promise<string> {
  const configured = process.env.POSTGRES_TEST_TMPDIR?.trim();
  if (configured) return configured;
  try {
    // A small /dev/shm (64 MiB in a default Docker container) would fill up: postgres itself
    // keeps its dynamic shared memory there.
    const fs = await statfs(TMPFS);
    await access(TMPFS, constants.W_OK | constants.X_OK);
    if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= TMPFS_MIN_FREE_BYTES) return TMPFS;
  } catch {
    // no usable /dev/shm
  }
  return tmpdir();
}

// ---------------------------------------------------------------------------------------------
// initdb, once per process

let templatePromise: Promise<string> | undefined;

/** A temp dir whose `data/` is a freshly initialised cluster, made once per test process. */
function clusterTemplate(owner: Owner | null): Promise<string> {
  if (!templatePromise) {
    templatePromise = makeTemplate(owner);
    // A failed initdb is not cached, so the next test reports it too.
    templatePromise.catch(() => {
      templatePromise = undefined;
    });
  }
  return templatePromise;
}

async function makeTemplate(owner: Owner | null): Promise<string> {
  const initdb = binary('initdb');
  const dir = await realpath(await mkdtemp(join(await tempRoot(), 'gofannon-pg-template-')));
  const watchdog = spawnWatchdog(dir);
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    const args = [
      ...['-D', join(dir, 'data'), '-U', DB_USER, '--auth=trust'],
      ...['-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions'],
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(
        initdb,
        args,
        { ...asOwner(owner, dir), timeout: INITDB_TIMEOUT_MS, maxBuffer: 1 << 20 },
        (err, stdout, stderr) => {
          if (!err) return resolve();
          const output = `${stdout}${stderr}`.trim().slice(-LOG_TAIL_CHARS);
          reject(
            new Error(
              `initdb failed (${err.message.split('\n')[0]})\n--- initdb output ---\n${output}`,
            ),
          );
        },
      );
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    killWatchdog(watchdog);
    throw err;
  }
  // Deleted by its watchdog when this process exits.
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Starting and stopping the postmaster

/** First start: picks a free port, and another one if that was taken before postgres bound it. */
async function startOnFreePort(
  dir: string,
  settings: Record<string, string>,
  owner: Owner | null,
  log: LogTail,
): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return { child: await startOnPort(dir, port, settings, owner, log, 1), port };
    } catch (err) {
      if (!(err instanceof PortInUseError) || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
}

class PortInUseError extends Error {}

/** Starts the postmaster on `port`, retrying (same port) while the port is in use. */
async function startOnPort(
  dir: string,
  port: number,
  settings: Record<string, string>,
  owner: Owner | null,
  log: LogTail,
  attempts: number,
): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnPostmaster(dir, port, settings, owner, log);
    } catch (err) {
      if (!(err instanceof PortInUseError) || attempt >= attempts) throw err;
      await sleep(200 * attempt);
    }
  }
}

async function spawnPostmaster(
  dir: string,
  port: number,
  settings: Record<string, string>,
  owner: Owner | null,
  log: LogTail,
): Promise<ChildProcess> {
  const dataDir = join(dir, 'data');
  const args = ['-D', dataDir, '-p', String(port), '-k', join(dir, 'sock')];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const started = Date.now();
  const child = spawn(binary('postgres'), args, {
    ...asOwner(owner, dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  log.mark(`postgres ${args.join(' ')}`);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => log.add(chunk));
  }
  let exited: string | undefined;
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError ??= err;
  });
  child.once('exit', (code, sig) => {
    exited = `code ${code}, signal ${sig}`;
  });

  const fail = async (reason: string, portInUse = false): Promise<never> => {
    await killPostmaster(child).catch(() => {});
    await sleep(20); // let the last stderr chunks arrive
    const tail = log.text();
    const message =
      `PostgreSQL test server (port ${port}, ${dataDir}) ${reason}` +
      (tail ? `\n--- server log ---\n${tail}` : '');
    throw portInUse || /could not bind|address already in use/i.test(log.sinceMark())
      ? new PortInUseError(message)
      : new Error(message);
  };

  const url = `postgres://${DB_USER}@127.0.0.1:${port}/postgres`;
  let lastError = 'no attempt yet';
  while (Date.now() - started < READY_TIMEOUT_MS) {
    if (spawnError) return fail(`could not be spawned: ${spawnError.message}`);
    if (exited) return fail(`exited before it was ready (${exited})`);
    try {
      await tcpProbe(port);
      const found = await queryDataDirectory(url);
      if (found !== dataDir) {
        return fail(`found another PostgreSQL on its port (data_directory ${found})`, true);
      }
      child.once('exit', (code, sig) => {
        if (isBeingStopped(child)) return;
        process.stderr.write(
          `PostgreSQL test server pid ${child.pid} (port ${port}) died: code ${code}, signal ${sig}` +
            `\n--- server log ---\n${log.text()}\n`,
        );
      });
      return child;
    } catch (err) {
      lastError = (err as Error).message;
      await sleep(25);
    }
  }
  return fail(`was not ready within ${READY_TIMEOUT_MS} ms (last error: ${lastError})`);
}

function tcpProbe(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => socket.destroy(new Error('TCP connect timed out')));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** `SELECT 1`, and which cluster answers it (so a port taken by someone else is noticed). */
async function queryDataDirectory(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {}); // a server shutting down under us is reported by query()
  try {
    await client.connect();
    await client.query('SELECT 1');
    const res = await client.query<{ dir: string }>(
      "SELECT current_setting('data_directory') AS dir",
    );
    return res.rows[0]?.dir ?? '';
  } finally {
    await client.end().catch(() => {});
  }
}

/** Killed if still running when this process exits, and never what keeps it alive. */
function track(child: ChildProcess): void {
  killOnExit(child);
  child.unref();
  (child.stdout as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();
}

/** SIGINT (fast shutdown), SIGKILL after STOP_TIMEOUT_MS; resolves once it has exited. */
async function stopPostmaster(child: ChildProcess, log: LogTail): Promise<void> {
  if (await signalAndWait(child, 'SIGINT', STOP_TIMEOUT_MS)) return;
  log.mark(`no fast shutdown within ${STOP_TIMEOUT_MS} ms: SIGKILL`);
  await killPostmaster(child);
}

async function killPostmaster(child: ChildProcess): Promise<void> {
  if (await signalAndWait(child, 'SIGKILL', KILL_TIMEOUT_MS)) return;
  throw new Error(`PostgreSQL test server pid ${child.pid} did not exit after SIGKILL`);
}

// ---------------------------------------------------------------------------------------------
// Watchdog: cleans up a temp dir when this process dies without doing it

// Waits for EOF on stdin (this process has exited, however it died), then SIGKILLs the
// postmaster recorded in DIR/data/postmaster.pid if it still runs in that dir, and deletes DIR.
// Ignores the terminal's SIGINT so that Ctrl-C still cleans up.
const WATCHDOG_SCRIPT = `
trap '' INT TERM HUP
while read -r _; do :; done
d="$1"
pid=$(head -n 1 "$d/data/postmaster.pid" 2>/dev/null)
if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$d/data" ]; then
  kill -KILL "$pid" 2>/dev/null
  i=0
  while [ $i -lt 50 ] && [ -n "$(readlink "/proc/$pid/cwd" 2>/dev/null)" ]; do
    sleep 0.1; i=$((i + 1))
  done
fi
rm -rf "$d" 2>/dev/null || { sleep 1; rm -rf "$d"; }
`;

function spawnWatchdog(dir: string): ChildProcess {
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'gofannon-pg-watchdog', dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}

/** SIGKILL, so that it does not run its clean-up (already done). */
function killWatchdog(watchdog: ChildProcess): void {
  if (watchdog.pid !== undefined && watchdog.exitCode === null && watchdog.signalCode === null) {
    signalProcess(watchdog.pid, 'SIGKILL');
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** The last LOG_TAIL_CHARS of the server's output, over all its starts. */
class LogTail {
  private buffer = '';
  private markAt = 0;
  add(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > 2 * LOG_TAIL_CHARS) {
      const cut = this.buffer.length - LOG_TAIL_CHARS;
      this.buffer = this.buffer.slice(cut);
      this.markAt = Math.max(0, this.markAt - cut);
    }
  }
  /** Starts a new section (a new start of the server). */
  mark(line: string): void {
    this.add(`[fixture] ${line}\n`);
    this.markAt = this.buffer.length;
  }
  sinceMark(): string {
    return this.buffer.slice(this.markAt);
  }
  text(): string {
    return this.buffer.slice(-LOG_TAIL_CHARS).trim();
  }
}

function settingValues(
  settings: Record<string, string | number | boolean>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    out[name] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

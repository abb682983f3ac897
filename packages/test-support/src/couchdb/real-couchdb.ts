/**
 * A real Apache CouchDB 3.5.0 for the tests, through the launcher in `../shared/couchdb/`
 * (its README is the reference): `couchdb-server start --dir DIR` starts a private instance
 * bound to 127.0.0.1 and prints its URL once `/_up` answers; `stop --dir DIR` stops exactly
 * that instance by its pids. Each server gets a fresh folder and a random admin password.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLocalServerControls } from '../local-server';
import { signalProcess } from '../processes';
import type { CouchServer } from './server';

/** Where the repository's `shared/` copy keeps the launcher: beside the repository. */
const DEFAULT_LAUNCHER = fileURLToPath(
  new URL('../../../../../shared/couchdb/couchdb-server', import.meta.url),
);
/** The variable that names another launcher (a CouchDB package elsewhere on the machine). */
const LAUNCHER_VARIABLE = 'GOFANNON_COUCHDB_LAUNCHER';

/** The launcher's own wait for `/_up`, in seconds; our bound on `start` outlasts it. */
const LAUNCHER_READY_SECONDS = 90;
const START_TIMEOUT_MS = (LAUNCHER_READY_SECONDS + 30) * 1000;
/** The launcher's SIGTERM-to-SIGKILL wait, in seconds, and our bound on `stop`. */
const LAUNCHER_STOP_SECONDS = 20;
const STOP_TIMEOUT_MS = (LAUNCHER_STOP_SECONDS + 20) * 1000;

export function couchLauncher(env: NodeJS.ProcessEnv): { path: string; found: boolean } {
  const path = env[LAUNCHER_VARIABLE]?.trim() || DEFAULT_LAUNCHER;
  return { path, found: existsSync(path) };
}

export async function startRealCouchServer(launcher: string): Promise<CouchServer> {
  const dir = await mkdtemp(join(tmpdir(), 'gofannon-couchdb-'));
  const user = 'admin';
  const password = randomBytes(18).toString('base64url');
  const admin = `${user}:${password}`;
  let url: string;
  try {
    url = await launch(launcher, ['start', '--dir', dir, '--admin', admin]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const port = new URL(url).port;
  const instance = { dir, pid: await readPid(dir) };
  killAtExit(dir);
  const controls = withLocalServerControls(
    {
      url,
      user,
      password,
      kind: 'couchdb' as const,
      description: `a real Apache CouchDB 3.5.0 (${launcher}) at ${url}`,
    },
    'CouchDB 3.5.0 test server',
    instance,
    {
      start: async () => {
        await launch(launcher, ['start', '--dir', dir, '--port', port, '--admin', admin]);
        return { dir, pid: await readPid(dir) };
      },
      stop: async () => {
        await launch(launcher, ['stop', '--dir', dir, '--timeout', String(LAUNCHER_STOP_SECONDS)]);
      },
      pid: (running) => running.pid,
    },
  );
  const close = controls.close;
  return Object.assign(controls, {
    async close() {
      await close();
      await rm(dir, { recursive: true, force: true });
      forgetAtExit(dir);
    },
  });
}

/** Runs the launcher; its last stdout line is the answer (the URL for `start`). */
function launch(launcher: string, args: string[]): Promise<string> {
  const start = args[0] === 'start';
  const fullArgs = start ? [...args, '--timeout', String(LAUNCHER_READY_SECONDS)] : args;
  return new Promise((resolve, reject) => {
    execFile(
      launcher,
      fullArgs,
      { timeout: start ? START_TIMEOUT_MS : STOP_TIMEOUT_MS, killSignal: 'SIGTERM' },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim() ? `\n--- launcher stderr ---\n${stderr.trim()}` : '';
          reject(new Error(`couchdb-server ${args[0]} failed: ${error.message}${detail}`));
          return;
        }
        resolve(stdout.trim().split('\n').at(-1) ?? '');
      },
    );
  });
}

async function readPid(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, 'couchdb.pid'), 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) ? pid : undefined;
}

/**
 * The launcher starts CouchDB in a session of its own, so it outlives a test process that
 * dies without `close()`. At exit, every instance still running is killed by the pids in
 * its folder (synchronously: an exit handler cannot wait).
 */
const runningDirs = new Set<string>();
let exitHookInstalled = false;

function killAtExit(dir: string): void {
  runningDirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const running of runningDirs) {
      for (const file of ['couchdb.pid', 'epmd.pid']) {
        const pid = Number.parseInt(readPidFileSync(join(running, file)), 10);
        if (Number.isInteger(pid) && pid > 1) signalProcess(pid, 'SIGKILL');
      }
    }
  });
}

function forgetAtExit(dir: string): void {
  runningDirs.delete(dir);
}

function readPidFileSync(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

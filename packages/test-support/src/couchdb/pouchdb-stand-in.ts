/**
 * PouchDB's CouchDB-compatible HTTP server (express-pouchdb, in memory), the fallback where
 * the real CouchDB of `../shared/couchdb/` is absent: started as a child process on a free
 * 127.0.0.1 port with an admin and a random password, stopped by its pid. It is not CouchDB
 * (see BACKENDS.md); the adapter is written for CouchDB 3.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { withLocalServerControls } from '../local-server';
import { isBeingStopped, killOnExit, stopChild } from '../processes';
import type { CouchServer } from './server';

const MAIN = fileURLToPath(new URL('./pouchdb-stand-in-main.mjs', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_CHARS = 8_000;

/** Starts a local CouchDB-compatible server on a free 127.0.0.1 port. */
export async function startPouchStandIn(): Promise<CouchServer> {
  const user = 'admin';
  const password = randomBytes(18).toString('base64url');
  const first = await spawnServer(0, user, password);
  const { port } = first;
  return withLocalServerControls(
    {
      url: `http://127.0.0.1:${port}`,
      user,
      password,
      kind: 'pouchdb' as const,
      description: `the PouchDB-based CouchDB stand-in (express-pouchdb, in memory) at http://127.0.0.1:${port}`,
    },
    'CouchDB stand-in',
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
        reject(new Error(`CouchDB stand-in (${MAIN}) ${reason}${detail}`));
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
          `CouchDB stand-in pid ${child.pid} (port ${port}) died: code ${code}, signal ${sig}` +
            `\n--- server stderr ---\n${stderr.trim()}\n`,
        );
      });
      resolve({ child, port });
    });
  });
}

/** SIGTERM by pid, SIGKILL if it has not exited after STOP_TIMEOUT_MS; resolves once it has exited. */
function stopServer(child: ChildProcess): Promise<void> {
  return stopChild(child, { label: 'CouchDB stand-in', timeoutMs: STOP_TIMEOUT_MS });
}

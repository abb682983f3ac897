import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { hasExited, signalProcess } from './processes';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// Waits for end-of-file on its stdin, which comes when the test process is gone however it
// ended (even by SIGKILL, when no exit handler runs), then SIGKILLs the server. It ignores
// the terminal's Ctrl-C, which reaches the whole process group, so that it outlives the
// test process long enough to do this.
const WATCHDOG_SCRIPT = `trap '' INT TERM HUP
while read -r _; do :; done
kill -KILL "$1" 2>/dev/null`;

/**
 * Makes sure the child does not outlive this process: SIGKILL from an `exit` handler when
 * this process exits with the child still running (a test file forgot `close()`), and from
 * a small watchdog shell when this process dies without running exit handlers. The
 * watchdog is killed as soon as the child exits, so it never signals a reused pid.
 */
export function killOnExit(child: ChildProcess): void {
  if (child.pid === undefined || hasExited(child) || running.has(child)) return;
  running.add(child);
  const watchdog = spawnWatchdog(child.pid);
  child.once('exit', () => {
    running.delete(child);
    if (watchdog?.pid !== undefined && !hasExited(watchdog)) {
      signalProcess(watchdog.pid, 'SIGKILL');
    }
  });
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) if (c.pid !== undefined) signalProcess(c.pid, 'SIGKILL');
  });
}

/** The watchdog's command line for a server's pid; its stdin must be a pipe from this process. */
export function watchdogCommand(pid: number): [string, string[]] {
  return ['/bin/sh', ['-c', WATCHDOG_SCRIPT, 'gofannon-watchdog', String(pid)]];
}

function spawnWatchdog(pid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const [command, args] = watchdogCommand(pid);
  const watchdog = spawn(command, args, { stdio: ['pipe', 'ignore', 'ignore'] });
  // Without a shell the exit handler still covers an orderly exit.
  watchdog.on('error', () => {});
  // Neither the watchdog nor its pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}

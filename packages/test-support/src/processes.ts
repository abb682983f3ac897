import type { ChildProcess } from 'node:child_process';

/** Sends a signal by pid; a process that is already gone is not an error. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Children this process has started to stop: their exit is expected, not a crash to report. */
const stoppedOnPurpose = new WeakSet<ChildProcess>();

/** True once {@link signalAndWait} or {@link stopChild} was asked to stop the child. */
export function isBeingStopped(child: ChildProcess): boolean {
  return stoppedOnPurpose.has(child);
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` by pid; true once the process has exited, false if it still runs after `ms`. */
export async function signalAndWait(
  child: ChildProcess,
  signal: NodeJS.Signals,
  ms: number,
): Promise<boolean> {
  if (hasExited(child) || child.pid === undefined) return true;
  stoppedOnPurpose.add(child);
  const exit = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  signalProcess(child.pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  const exited = await Promise.race([exit, timeout]);
  clearTimeout(timer);
  return exited || hasExited(child);
}

export interface StopOptions {
  /** Names the process in the error thrown when even SIGKILL does not stop it. */
  label: string;
  /** The polite signal, sent first: SIGTERM unless the server prefers another (PostgreSQL: SIGINT). */
  signal?: NodeJS.Signals;
  /** How long each signal gets before the next step. */
  timeoutMs: number;
}

/**
 * Stops a child server by its pid: the polite signal, then SIGKILL if it has not exited in
 * time. Resolves once it has exited; throws if it survives SIGKILL.
 */
export async function stopChild(child: ChildProcess, options: StopOptions): Promise<void> {
  if (await signalAndWait(child, options.signal ?? 'SIGTERM', options.timeoutMs)) return;
  if (await signalAndWait(child, 'SIGKILL', options.timeoutMs)) return;
  throw new Error(`${options.label} pid ${child.pid} did not exit after SIGKILL`);
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * SIGKILLs the child if it still runs when this process exits (a test file forgot
 * `close()`, say). One exit handler serves every child.
 */
export function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) if (c.pid !== undefined) signalProcess(c.pid, 'SIGKILL');
  });
}

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

/** True once the child has exited, by itself or by a signal. */
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
 * time. Resolves once it has exited; throws if it survives SIGKILL. So a stop takes at most
 * twice `timeoutMs`, whatever the server does with the polite signal.
 */
export async function stopChild(child: ChildProcess, options: StopOptions): Promise<void> {
  if (await signalAndWait(child, options.signal ?? 'SIGTERM', options.timeoutMs)) return;
  if (await signalAndWait(child, 'SIGKILL', options.timeoutMs)) return;
  throw new Error(`${options.label} pid ${child.pid} did not exit after SIGKILL`);
}

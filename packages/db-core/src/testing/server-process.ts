import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { killOnExit } from './kill-on-exit';
import { isBeingStopped, stopChild } from './processes';

/** How a started server says it is ready to serve. */
export type ReadinessSignal =
  /** A line the server prints on stdout or stderr, such as `listening on 127.0.0.1:4000`. */
  | { output: RegExp }
  /**
   * A check that resolves `true` once the server answers (an HTTP request, a TCP connect).
   * It runs again `intervalMs` (default 100) after each `false` or rejection.
   */
  | { probe: () => Promise<boolean>; intervalMs?: number };

export interface ServerProcessOptions {
  /** Names the server in errors and in the report of an unexpected exit. */
  label: string;
  command: string;
  args?: readonly string[];
  /** `cwd`, `env`, `uid`, `gid`...; stdio belongs to the helper, which reads the output. */
  spawn?: Omit<SpawnOptions, 'stdio' | 'detached'>;
  ready: ReadinessSignal;
  /** How long the server may take to become ready (default 60 000 ms); then it is stopped. */
  readyTimeoutMs?: number;
  /** The polite stop signal (default SIGTERM) and how long each signal gets (default 10 000 ms). */
  stop?: { signal?: NodeJS.Signals; timeoutMs?: number };
}

/** A server started by {@link startServerProcess}. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last 16 KB the server printed, stdout and stderr together. */
  output(): string;
  /** The polite signal by pid, SIGKILL when it is ignored; resolves once the server has exited. */
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 16_384;

/**
 * Starts a server as a child process and resolves once it signals readiness. The child is
 * killed if this process dies first ({@link killOnExit}) and never keeps it alive. A server
 * that exits, fails to spawn or is not ready in time is stopped, and the error carries the
 * end of its output. Once ready, an exit nobody asked for is reported on stderr with that
 * output, since the tests that fail next only see a refused connection.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const { label } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const stopOptions = {
    label,
    signal: options.stop?.signal ?? 'SIGTERM',
    timeoutMs: options.stop?.timeoutMs ?? 10_000,
  };
  const child = spawn(options.command, [...(options.args ?? [])], {
    ...options.spawn,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new OutputTail();
  for (const stream of [child.stdout, child.stderr]) output.follow(stream);
  const fail = (reason: string): Error => {
    const tail = output.text();
    const pid = child.pid === undefined ? '' : ` (pid ${child.pid})`;
    return new Error(`${label}${pid} ${reason}${tail ? `\n--- output ---\n${tail}` : ''}`);
  };

  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(fail(`could not be started: ${error.message}`)));
  });
  killOnExit(child);

  const waiting = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      readiness(options.ready, output, waiting.signal),
      new Promise<never>((_, reject) => {
        child.once('exit', (code, signal) =>
          reject(fail(`exited before it was ready (code ${code}, signal ${signal})`)),
        );
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(fail(`was not ready within ${readyTimeoutMs} ms`)),
          readyTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    await stopChild(child, stopOptions).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
    waiting.abort();
  }

  child.once('exit', (code, signal) => {
    if (isBeingStopped(child)) return;
    process.stderr.write(
      `${label} pid ${child.pid} exited unexpectedly (code ${code}, signal ${signal})\n--- output ---\n${output.text()}\n`,
    );
  });
  // A forgotten server must not keep the test process alive; killOnExit ends it.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) unref(stream);
  return {
    child,
    pid: child.pid as number,
    output: () => output.text(),
    stop: () => stopChild(child, stopOptions),
  };
}

async function readiness(
  signal: ReadinessSignal,
  output: OutputTail,
  stopped: AbortSignal,
): Promise<void> {
  if ('output' in signal) {
    await output.waitFor(signal.output, stopped);
    return;
  }
  const intervalMs = signal.intervalMs ?? 100;
  while (!stopped.aborted) {
    if (await signal.probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The end of what a child printed, and a way to wait for a pattern in it. */
class OutputTail {
  #text = '';
  #listeners = new Set<() => void>();

  follow(stream: Readable | null): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      this.#text = (this.#text + chunk).slice(-OUTPUT_TAIL_CHARS);
      for (const listener of this.#listeners) listener();
    });
  }

  text(): string {
    return this.#text.trim();
  }

  /** Resolves once `pattern` matches what was printed; never, if `stopped` fires first. */
  waitFor(pattern: RegExp, stopped: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!pattern.test(this.#text)) return;
        this.#listeners.delete(check);
        resolve();
      };
      this.#listeners.add(check);
      stopped.addEventListener('abort', () => this.#listeners.delete(check), { once: true });
      check();
    });
  }
}

function unref(stream: Readable | null): void {
  (stream as (Readable & { unref?: () => void }) | null)?.unref?.();
}

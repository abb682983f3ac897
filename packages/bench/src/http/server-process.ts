import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '@gofannon/test-support';
import { cpuTimeMicros } from '../process/cpu-time';
import { spawnTsx } from '../process/spawn-tsx';

const SERVER_MAIN = fileURLToPath(new URL('./server-main.ts', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 8_000;

export interface ServerProcess {
  url: string;
  /** The CPU time the server has used so far, in µs (`undefined` where it cannot be read). */
  cpuMicros(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `server-main.ts` in `mode` with these extra variables; resolves once it listens.
 * Its stdout (the API's request log) goes to /dev/null; stderr is kept for the messages of
 * a server that fails to start.
 */
export async function startServerProcess(
  mode: 'baseline' | 'api',
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child: ChildProcess = spawnTsx(SERVER_MAIN, {
    args: [mode],
    // For a CPU profile of a server under load: GOFANNON_BENCH_SERVER_FLAGS="--cpu-prof".
    nodeFlags: process.env.GOFANNON_BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [],
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`The ${mode} server did not start in time:\n${output.slice(-OUTPUT_TAIL_CHARS)}`),
      );
    }, READY_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
      const match = /READY (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stderr?.on('data', collect);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The ${mode} server exited:\n${output.slice(-OUTPUT_TAIL_CHARS)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    cpuMicros: () => (child.pid === undefined ? undefined : cpuTimeMicros(child.pid)),
    stop: () => stopChild(child, { label: `The ${mode} server`, timeoutMs: STOP_TIMEOUT_MS }),
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const API_DIR = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export interface ApiProcess {
  child: ChildProcess;
  /** Where it listens, from its start-up line. */
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves once it has printed something that matches `pattern`. */
  printed(pattern: RegExp): Promise<void>;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs `src/main.ts` as `pnpm start` does, in a child process with these extra environment
 * variables, and waits for its "Gofannon API on <url>" line.
 */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@gofannon/source', 'src/main.ts'],
    {
      cwd: API_DIR,
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start-up line in time:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const waiter of waiters.filter((w) => w.pattern.test(output))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const match = /Gofannon API on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`exited with ${code} before listening:\n${output}`), {
          output,
          code,
        }),
      );
    });
  });
  const printed = (pattern: RegExp) =>
    pattern.test(output)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ pattern, resolve }));
  return { child, url, output: () => output, printed, exited };
}

/** Runs the API expecting it to refuse to start; resolves with its exit code and output. */
export async function spawnRefusedApi(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  try {
    const api = await spawnApi(env);
    api.child.kill('SIGKILL');
    throw new Error(`the API started on ${api.url}`);
  } catch (error) {
    const { code, output } = error as { code?: number | null; output?: string };
    if (output === undefined) throw error;
    return { code: code ?? null, output };
  }
}

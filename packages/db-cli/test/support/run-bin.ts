import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export interface BinResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `gofannon-db` entry point from source in a child process (node with tsx,
 * workspace packages resolved to their sources).
 */
export function runBin(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<BinResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  // Settings of the test process must not leak into the child's provider.
  for (const name of Object.keys(env)) {
    if (/^(DATABASE_|COUCHDB_|POSTGRES_|PG)/.test(name) && !options.env?.[name]) delete env[name];
  }
  const child = spawn(
    process.execPath,
    ['--conditions=@gofannon/source', '--import', TSX, CLI, ...args],
    {
      cwd: options.cwd ?? PACKAGE_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface SpawnTsxOptions {
  /** Arguments after the entry file. */
  args?: string[];
  /** Node flags before it, such as `--expose-gc`. */
  nodeFlags?: string[];
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
  stdio: StdioOptions;
}

/**
 * Starts a TypeScript entry file of this package in a new Node process under tsx, resolving
 * the workspace packages to their sources as the bench itself does.
 */
export function spawnTsx(entry: string, options: SpawnTsxOptions): ChildProcess {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      '--conditions=@gofannon/source',
      '--import',
      tsx,
      entry,
      ...(options.args ?? []),
    ],
    { stdio: options.stdio, env: { ...process.env, ...options.env } },
  );
}

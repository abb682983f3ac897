import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDatabaseService, type DatabaseService } from '@gofannon/db-core';
import { readEnvFile } from './env-file';

/** Where a side of a command gets its settings: an env file, or the process environment. */
export interface ServiceSource {
  /** `--from-env` / `--to-env` file; the process environment when absent. */
  envFile?: string;
  /** The process environment (injected by tests). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A service opened for a command, and where its settings came from, for messages. */
export interface OpenedService {
  service: DatabaseService;
  /** Such as `postgres (from target.env)` or `memory (from the environment)`. */
  label: string;
}

/**
 * Makes the service `DATABASE_PROVIDER` names, exactly as an application would with
 * `createDatabaseService`. With an env file, only the file's variables are used, so a
 * source and a target never mix settings. The service is pinged before it is returned,
 * so an unreachable backend is reported before any work starts.
 */
export async function openService(source: ServiceSource): Promise<OpenedService> {
  const env = source.envFile ? await readEnvFile(source.envFile) : (source.env ?? process.env);
  const service = await createDatabaseService({ env, load: loadAdapterPackage });
  const label = `${service.provider} (from ${source.envFile ?? 'the environment'})`;
  try {
    await service.ping();
  } catch (error) {
    await service.close().catch(() => {});
    throw error;
  }
  return { service, label };
}

/**
 * Loads an adapter package: first as seen from this package (installed beside the CLI,
 * globally or with `npx -p`), then as seen from the current directory (the project's
 * own `node_modules`).
 */
export async function loadAdapterPackage(name: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (error) {
    let resolved: string;
    try {
      resolved = createRequire(join(process.cwd(), 'package.json')).resolve(name);
    } catch {
      throw error;
    }
    return import(pathToFileURL(resolved).href);
  }
}

import { randomBytes } from 'node:crypto';
import { openServerBackend } from '../providers/server-backends';
import type { MeasureSpec } from './measure';
import type { MigrateTargetName } from './results';

/** A target's server for one run, started (or found in the environment) by the parent. */
export interface MigrateBackend {
  /** What the target writes to; printed and written to the JSON. */
  description: string;
  /** The spec field that points one run (named by `run`, unique in the bench run) here. */
  specFor(run: string): Pick<MeasureSpec, 'targetEnv'>;
  /** Drops what that run wrote, where the backend can; each run writes under its own prefix. */
  cleanUp(run: string): Promise<void>;
  /** Drops what is left of the run and stops a server this run started. */
  close(): Promise<void>;
}

/**
 * Readies a target: nothing for memory (each run starts its own memory process); the `COUCHDB_URL` / `POSTGRES_URL` server, else a
 * local one started exactly as the table bench starts it (the PouchDB test server; a
 * durable PostgreSQL 15). Each measurement writes under a prefix of its own.
 */
export async function openMigrateBackend(
  target: MigrateTargetName,
  env: Readonly<Record<string, string | undefined>>,
): Promise<MigrateBackend> {
  const run = `bench_${randomBytes(6).toString('hex')}_migrate_`;
  const prefix = (name: string) => `${run}${name}_`;
  const backend = await openServerBackend(target, env);
  return {
    description:
      target === 'memory'
        ? 'memory adapter, in a process of its own per run (as the source is)'
        : backend.description,
    specFor: (name) => ({ targetEnv: backend.providerEnv(prefix(name)) }),
    cleanUp: (name) => backend.drop(prefix(name)),
    async close() {
      try {
        await backend.drop(run);
      } finally {
        await backend.close();
      }
    },
  };
}

import { measureCouchDbPurge } from './couchdb-purge';
import { measureDynamoDbPurge } from './dynamodb-purge';
import { measureFirestorePurge } from './firestore-purge';
import { measureMemoryPurge } from './memory-purge';
import { measurePostgresPurge } from './postgres-purge';
import type { PurgeBenchSettings, PurgeResult } from './results';

/**
 * Loads `settings.documents` expired documents on one provider (starting its server, or
 * using the one its URL variable names) and times `purgeExpired` of them.
 */
export type MeasurePurge = (
  settings: PurgeBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
) => Promise<PurgeResult>;

/** Every provider `--purge` can measure, in run order: one entry and one file each. */
export const PURGE_PROVIDERS: Readonly<Record<string, MeasurePurge>> = {
  memory: (settings) => measureMemoryPurge(settings),
  postgres: measurePostgresPurge,
  couchdb: (settings, env, print) => measureCouchDbPurge(settings, env, print),
  dynamodb: measureDynamoDbPurge,
  firestore: measureFirestorePurge,
};

export const PURGE_PROVIDER_NAMES: readonly string[] = Object.keys(PURGE_PROVIDERS);

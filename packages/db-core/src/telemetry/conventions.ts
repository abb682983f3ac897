/**
 * Names from OpenTelemetry's database semantic conventions (kept here as strings, so core
 * needs no package for them), and the few of our own, under `gofannon.`.
 */
export const ATTR = {
  systemName: 'db.system.name',
  operationName: 'db.operation.name',
  collectionName: 'db.collection.name',
  batchSize: 'db.operation.batch.size',
  returnedRows: 'db.response.returned_rows',
  errorType: 'error.type',
  /** The adapter's provider name, as `createDatabaseService` knows it. */
  provider: 'gofannon.db.provider',
  /** Backend requests one call made (each bounded by the call's deadline). */
  requests: 'gofannon.db.requests',
  /** Retries the adapter made within the call (contention, throttling). */
  retries: 'gofannon.db.retries',
} as const;

export const METRIC = {
  /** Histogram, seconds: the conventions' own. */
  duration: 'db.client.operation.duration',
  /** Counter of failed calls, by `error.type` (our stable error code). */
  errors: 'gofannon.db.client.errors',
  /** Histogram of documents each call returned. */
  returnedRows: 'db.client.response.returned_rows',
} as const;

/** Span events. */
export const EVENT = {
  /** An adapter retried a backend request; `gofannon.db.retry.reason` says why. */
  retry: 'gofannon.db.retry',
} as const;

/**
 * `db.system.name` of each provider: the conventions' well-known value where there is one,
 * else a name of our own.
 */
const SYSTEM_NAMES: Readonly<Record<string, string>> = {
  postgres: 'postgresql',
  couchdb: 'couchdb',
  dynamodb: 'aws.dynamodb',
  firestore: 'gcp.firestore',
};

export function systemNameOf(provider: string): string {
  return SYSTEM_NAMES[provider] ?? `gofannon.${provider}`;
}

/**
 * The bucket bounds (seconds) the conventions advise for `db.client.operation.duration`.
 */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** The instrumentation scope: this library's name. */
export const SCOPE_NAME = '@gofannon/db-core';

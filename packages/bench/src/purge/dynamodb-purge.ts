import { randomBytes } from 'node:crypto';
import { DynamoDbDatabaseService } from '@gofannon/db-dynamodb';
import { dynamoClientConfig, dynamoServerFromEnv, startDynamoServer } from '@gofannon/test-support';
import { startCapacityProxy } from '../find/dynamodb-capacity';
import { describeServer, dropTables } from '../providers/dynamodb';
import { expiredDocuments } from './expired-documents';
import type { PurgeBenchSettings, PurgeResult } from './results';

/** The purge of 100,000 documents takes a while on a busy machine: no request is cut short. */
const TIMEOUT_MS = 600_000;

/**
 * DynamoDB (`DYNAMODB_ENDPOINT_URL`, else a DynamoDB Local started now): one service loads
 * the documents straight to the endpoint, and a fresh service times `purgeExpired` (a
 * filtered parallel Scan projecting key and revision, then one conditional DeleteItem per
 * expired item) through the capacity proxy of the find bench, which counts every HTTP
 * request and the items the Scans read. The proxy rewrites requests, which only DynamoDB
 * Local accepts: against an external endpoint the purge goes direct and requests are not
 * counted. The documents' TTL lies an hour past their expiry (the adapter's margin), so
 * DynamoDB Local's own TTL sweeper leaves them to the purge.
 */
export async function measureDynamoDbPurge(
  settings: PurgeBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<PurgeResult> {
  const server = dynamoServerFromEnv(env) ?? (await startDynamoServer());
  const proxy = server.external ? undefined : await startCapacityProxy(server.endpoint);
  const run = `bench_${randomBytes(6).toString('hex')}_purge_`;
  const config = dynamoClientConfig(server);
  const options = { tablePrefix: run, timeoutMs: TIMEOUT_MS };
  const loader = new DynamoDbDatabaseService({ ...options, client: config });
  const purger = new DynamoDbDatabaseService({
    ...options,
    client: { ...config, endpoint: proxy?.url ?? config.endpoint },
  });
  try {
    for (const items of expiredDocuments(settings.documents, Date.now())) {
      const results = await loader.saveMany('sessions', items);
      const failed = results.find((result) => 'error' in result);
      if (failed) throw new Error(`dynamodb: loading failed: ${JSON.stringify(failed)}`);
    }
    print('dynamodb: purging');
    proxy?.reset();
    const started = process.hrtime.bigint();
    const purged = await purger.purgeExpired('sessions');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const counts = proxy?.counts();
    return {
      provider: 'dynamodb',
      backend: describeServer(server),
      documents: settings.documents,
      purged,
      seconds,
      ...(counts === undefined
        ? {}
        : {
            roundTripsPer1000: purged === 0 ? counts.requests : (counts.requests * 1000) / purged,
          }),
      notes:
        counts === undefined
          ? [
              'requests not counted: the counting proxy rewrites requests, which only DynamoDB Local accepts',
            ]
          : [
              `${counts.requests} HTTP requests in all, counted by a proxy: Scan pages of 4 parallel segments (${counts.scanned} items read, ${counts.capacity} read capacity units) and one conditional DeleteItem per expired item`,
              'BatchWriteItem carries no conditions, so each delete is its own request: conditional on the revision the Scan saw, safe beside other purges and re-saves',
            ],
    };
  } finally {
    await loader.close();
    await purger.close();
    try {
      await dropTables(config, run);
    } finally {
      await proxy?.close();
      await server.close();
    }
  }
}

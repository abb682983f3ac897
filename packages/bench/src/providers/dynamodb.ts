import { randomBytes } from 'node:crypto';
import {
  DeleteTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbDatabaseService } from '@gofannon/db-dynamodb';
import {
  type DynamoServer,
  dynamoClientConfig,
  dynamoServerFromEnv,
  startDynamoServer,
} from '@gofannon/test-support';
import { everyOperation, type ThroughputGoal } from '../results';
import { DynamoDbBaseline } from '../targets/dynamodb-baseline';
import { COLLECTIONS } from '../workload/shapes';
import type { BenchProvider } from './registry';
import { startWireProxyFor, type WireProxy } from './wire-proxy';

/** Every operation at least 0.9 of the baseline's throughput. */
export const throughputGoals: readonly ThroughputGoal[] = everyOperation(0.9);

/** One saveMany call must beat as many single saves by at least this factor. */
const MIN_SAVE_MANY_SPEEDUP = 10;

/** An endpoint and a proxy in front of it, shared by both targets of a run. */
export interface DynamoDbRun {
  server: DynamoServer;
  proxy: WireProxy;
  /** Client settings that reach the endpoint through the counting proxy. */
  viaProxy: DynamoDBClientConfig;
  /** Table prefix of this run, `bench_<random>_`. */
  run: string;
  /** Deletes every table of the run, stops the proxy, then a local server. */
  close(): Promise<void>;
}

/**
 * The `DYNAMODB_ENDPOINT_URL` endpoint when set (with the standard AWS credentials when
 * `AWS_ACCESS_KEY_ID` is set), else a DynamoDB Local started now, behind a counting proxy.
 */
export async function openDynamoDbRun(
  env: Readonly<Record<string, string | undefined>>,
): Promise<DynamoDbRun> {
  const server = dynamoServerFromEnv(env) ?? (await startDynamoServer());
  const proxy = await startWireProxyFor(server, server.endpoint);
  const run = `bench_${randomBytes(6).toString('hex')}_`;
  return {
    server,
    proxy,
    run,
    viaProxy: { ...dynamoClientConfig(server), endpoint: proxy.url },
    async close() {
      try {
        await dropTables(dynamoClientConfig(server), run);
      } finally {
        await proxy.close();
        await server.close();
      }
    },
  };
}

/**
 * Readies DynamoDB for one run: adapter and raw document client each get tables of their
 * own prefix, and both talk through one proxy that counts their HTTP requests.
 */
export async function openDynamoDbProvider(
  env: Readonly<Record<string, string | undefined>>,
): Promise<BenchProvider> {
  const { server, proxy, run, viaProxy, close } = await openDynamoDbRun(env);
  return {
    backend: describeServer(server),
    throughputGoals,
    wire: proxy,
    extras: { minSaveManySpeedup: MIN_SAVE_MANY_SPEEDUP },
    makeAdapter: () =>
      new DynamoDbDatabaseService({ client: viaProxy, tablePrefix: `${run}adapter_` }),
    makeBaseline: () => DynamoDbBaseline.create(viaProxy, `${run}raw_`, COLLECTIONS),
    close,
  };
}

export function describeServer(server: DynamoServer): string {
  return server.external
    ? `DynamoDB at ${server.endpoint} (DYNAMODB_ENDPOINT_URL)`
    : `local DynamoDB Local 1.25.1 (in memory) at ${server.endpoint}, pid ${server.pid}`;
}

/** Deletes every table whose name starts with `prefix`, talking to the endpoint directly. */
export async function dropTables(config: DynamoDBClientConfig, prefix: string): Promise<void> {
  const client = new DynamoDBClient(config);
  try {
    for await (const page of paginateListTables({ client }, {})) {
      for (const table of page.TableNames ?? []) {
        if (table.startsWith(prefix)) {
          await client.send(new DeleteTableCommand({ TableName: table }));
        }
      }
    }
  } finally {
    client.destroy();
  }
}

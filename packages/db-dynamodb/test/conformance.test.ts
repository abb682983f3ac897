import { runConformanceSuite } from '@gofannon/db-core/conformance';
import {
  type DynamoServer,
  dynamoClientConfig,
  type RequestCounter,
  requestGateOf,
  startHttpRequestCounter,
  useDynamoServer,
} from '@gofannon/test-support';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDbDatabaseService } from '../src';
import { dynamoInspector } from './support/dynamodb-inspector';

let server: DynamoServer;
let counter: RequestCounter;
beforeAll(async () => {
  server = await useDynamoServer();
  counter = await startHttpRequestCounter(server.endpoint);
});
afterAll(async () => {
  await counter?.close();
  await server?.close();
});

/** An endpoint named by DYNAMODB_ENDPOINT_URL belongs to someone else: the suite never stops it. */
const ownServer = !process.env.DYNAMODB_ENDPOINT_URL;

/** Services whose requests pass a counting proxy, for the cancellation cases. */
const requestGate = requestGateOf(
  () => counter,
  (endpoint, timeoutMs) =>
    new DynamoDbDatabaseService({ client: { ...dynamoClientConfig(server), endpoint }, timeoutMs }),
);

function configuration(
  name: string,
  tablePrefix: string,
  timeoutMs: number,
  gate?: typeof requestGate,
) {
  runConformanceSuite({
    name,
    create: ({ clock }) =>
      new DynamoDbDatabaseService({
        client: dynamoClientConfig(server),
        tablePrefix,
        timeoutMs,
        clock,
        // DynamoDB Local's TTL sweeper walks every TTL table: over the hundreds of tables
        // the suite makes, it stalls index builds past the short timeout. Expiry does not
        // depend on TTL (test/expiry.test.ts covers TTL on the tables the adapter creates).
        timeToLive: false,
      }),
    inspector: dynamoInspector(() => server, tablePrefix),
    outage: ownServer
      ? { stop: () => server.stop(), start: () => server.restart(), timeoutMs }
      : undefined,
    requestGate: gate,
  });
}

configuration('dynamodb', '', 10_000, requestGate);
configuration('dynamodb with a table prefix and a short timeout', 'gofannon-test.', 6_000);

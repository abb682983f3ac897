import { runConformanceSuite } from '@gofannon/db-core/conformance';
import { type DynamoServer, dynamoClientConfig, useDynamoServer } from '@gofannon/test-support';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDbDatabaseService } from '../src';
import { dynamoInspector } from './support/dynamodb-inspector';

let server: DynamoServer;
beforeAll(async () => {
  server = await useDynamoServer();
});
afterAll(async () => {
  await server?.close();
});

/** An endpoint named by DYNAMODB_ENDPOINT_URL belongs to someone else: the suite never stops it. */
const ownServer = !process.env.DYNAMODB_ENDPOINT_URL;

function configuration(name: string, tablePrefix: string, timeoutMs: number) {
  runConformanceSuite({
    name,
    create: () =>
      new DynamoDbDatabaseService({ client: dynamoClientConfig(server), tablePrefix, timeoutMs }),
    inspector: dynamoInspector(() => server, tablePrefix),
    outage: ownServer
      ? { stop: () => server.stop(), start: () => server.restart(), timeoutMs }
      : undefined,
  });
}

configuration('dynamodb', '', 10_000);
configuration('dynamodb with a table prefix and a short timeout', 'gofannon-test.', 3_000);

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DynamoServer,
  describeTelemetry,
  dynamoClientConfig,
  freeLoopbackPort,
  installTestTelemetry,
  useDynamoServer,
} from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDatabaseService } from '../src';

let server: DynamoServer;

beforeAll(async () => {
  server = await useDynamoServer();
});
afterAll(async () => {
  await server?.close();
});

describeTelemetry('dynamodb', {
  open: async () =>
    new DynamoDbDatabaseService({ client: dynamoClientConfig(server), timeToLive: false }),
  systemName: 'aws.dynamodb',
  countsRequests: true,
  openUnreachable: async () =>
    new DynamoDbDatabaseService({
      client: {
        ...dynamoClientConfig(server),
        endpoint: `http://127.0.0.1:${await freeLoopbackPort()}`,
      },
      maxAttempts: 1,
      timeoutMs: 5_000,
    }),
});

/**
 * Between the adapter and DynamoDB Local: answers the first `throttled` requests as
 * DynamoDB does when it throttles, and passes every other one on as it came.
 */
async function throttlingProxy(
  target: string,
  throttled: number,
): Promise<Server & { url: string }> {
  let left = throttled;
  const proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (left > 0) {
        left -= 1;
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
            message: 'Rate of requests exceeds the allowed throughput.',
          }),
        );
        return;
      }
      void fetch(`${target}${request.url ?? '/'}`, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      }).then(async (answer) => {
        response.writeHead(answer.status, Object.fromEntries(answer.headers));
        response.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return Object.assign(proxy, { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
}

describe('dynamodb: throttling on the span', () => {
  it('puts an event on the call span for each throttled request the SDK retried', async () => {
    const telemetry = installTestTelemetry();
    const service = new DynamoDbDatabaseService({
      client: dynamoClientConfig(server),
      timeToLive: false,
    });
    await service.save('throttled', 'doc', { n: 1 });
    const proxy = await throttlingProxy(server.endpoint, 2);
    const throttledService = new DynamoDbDatabaseService({
      client: { ...dynamoClientConfig(server), endpoint: proxy.url },
      maxAttempts: 3,
      timeToLive: false,
    });
    try {
      telemetry.reset();
      expect((await throttledService.get('throttled', 'doc')).n).toBe(1);
      const [span] = telemetry.spans();
      expect(span?.name).toBe('get throttled');
      expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
        [
          'gofannon.db.throttled',
          { 'aws.dynamodb.operation': 'GetItemCommand', 'error.type': 'ThrottlingException' },
        ],
        [
          'gofannon.db.throttled',
          { 'aws.dynamodb.operation': 'GetItemCommand', 'error.type': 'ThrottlingException' },
        ],
      ]);
      expect(span?.status.code).not.toBe(2);
    } finally {
      await throttledService.close();
      await service.close();
      proxy.close();
      await telemetry.uninstall();
    }
  });
});

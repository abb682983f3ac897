import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { isDatabaseError } from '@gofannon/db-core';
import { randomCollection } from '@gofannon/db-core/conformance';
import {
  type CountingProxy,
  type DynamoServer,
  dynamoClientConfig,
  startCountingProxy,
  useDynamoServer,
} from '@gofannon/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbDatabaseService } from '../src';

/**
 * The client keeps the SDK's middleware chain between requests (`cacheMiddleware`), which
 * the SDK allows only for sends without options; the signal of each call still reaches its
 * request (see `signalled-client.ts`).
 */
let server: DynamoServer;
let proxy: CountingProxy;
const services: DynamoDbDatabaseService[] = [];

beforeAll(async () => {
  server = await useDynamoServer();
  proxy = await startCountingProxy(server.endpoint);
});
afterEach(async () => {
  proxy.release();
  vi.restoreAllMocks();
  await Promise.all(services.splice(0).map((service) => service.close()));
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** A service whose time limits are far beyond any test's: only a signal can end a request. */
function service(endpoint: string): DynamoDbDatabaseService {
  const made = new DynamoDbDatabaseService({
    client: { ...dynamoClientConfig(server), endpoint },
    tablePrefix: 'signals_',
    timeoutMs: 600_000,
    requestTimeoutMs: 600_000,
  });
  services.push(made);
  return made;
}

describe('DynamoDB requests and their signals', () => {
  it('ends the request in flight when its caller aborts, and answers 503', async () => {
    const db = service(proxy.url);
    await db.ping();
    const before = proxy.counts().requests;
    proxy.hold();
    const controller = new AbortController();
    const outcome = db
      .get(randomCollection(), 'held', { signal: controller.signal })
      .catch((error: unknown) => error);
    await proxy.reached(before + 1);
    controller.abort(new Error('the caller gave up'));
    const error = await outcome;
    expect(isDatabaseError(error) && error.status).toBe(503);
    // The proxy still holds the request: only the client closing it counts here.
    await proxy.abandoned(1);
  });

  it('builds the SDK middleware chain once for each kind of request, not per request', async () => {
    const db = service(server.endpoint);
    const collection = randomCollection();
    await db.save(collection, 'a', { n: 1 });
    const built = vi.spyOn(GetItemCommand.prototype, 'resolveMiddleware');
    expect(await db.get(collection, 'a')).toMatchObject({ _id: 'a', n: 1 });
    expect(await db.get(collection, 'a')).toMatchObject({ _id: 'a', n: 1 });
    const third = new AbortController();
    expect(await db.get(collection, 'a', { signal: third.signal })).toMatchObject({ n: 1 });
    expect(built).toHaveBeenCalledTimes(1);
  });
});

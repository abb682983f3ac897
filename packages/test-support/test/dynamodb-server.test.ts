// Tests of the DynamoDB Local fixture itself. The local-server block is skipped when
// DYNAMODB_ENDPOINT_URL names another endpoint.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoServer,
  dynamoClientConfig,
  dynamoServerFromEnv,
  startDynamoServer,
} from '../src';

/** Local addresses (hex, as in /proc/net/tcp*) of the listening TCP sockets on `port`. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .filter((file) => existsSync(file))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`))
        .map((cols) => (cols[1] ?? '').split(':')[0] ?? ''),
    );
}

const LOOPBACK = new Set(['0100007F', '0000000000000000FFFF00000100007F']);

/** A stop (SIGTERM, SIGKILL after 5 s) and a start the fixture gives 120 s to be ready. */
const STOP_AND_RESTART_MS = 150_000;

describe('an endpoint from DYNAMODB_ENDPOINT_URL', () => {
  it('is used as it is and never stopped', async () => {
    const server = dynamoServerFromEnv({ DYNAMODB_ENDPOINT_URL: 'http://127.0.0.1:8000' });
    expect(server).toMatchObject({
      endpoint: 'http://127.0.0.1:8000',
      external: true,
      pid: undefined,
    });
    await expect(server?.stop()).rejects.toThrow(/external/);
    await expect(server?.restart()).rejects.toThrow(/external/);
    expect(dynamoServerFromEnv({})).toBeUndefined();
  });
});

describe.skipIf(process.env.DYNAMODB_ENDPOINT_URL !== undefined)('a local DynamoDB Local', () => {
  let server: DynamoServer;
  // In a hook: the first start of a fresh clone also fetches DynamoDB Local and compiles
  // its launcher.
  beforeAll(async () => {
    server = await startDynamoServer();
  });
  afterAll(() => server?.close());

  it(
    'listens on 127.0.0.1 only, stops by pid and restarts on the same port',
    async () => {
      const port = Number(new URL(server.endpoint).port);
      const addresses = listeningAddresses(port);
      expect(addresses.length).toBeGreaterThan(0);
      for (const address of addresses) expect(LOOPBACK.has(address)).toBe(true);
      expect(dynamoClientConfig(server)).toMatchObject({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'fakeKey', secretAccessKey: 'fakeSecret' },
      });
      const first = server.pid as number;
      await server.stop();
      expect(() => process.kill(first, 0)).toThrow();
      expect(listeningAddresses(port)).toEqual([]);
      await server.restart();
      expect(server.pid).not.toBe(first);
      expect((await fetch(`${server.endpoint}/`)).status).toBe(400);
      await server.close();
      await expect(server.restart()).rejects.toThrow(/closed/);
    },
    STOP_AND_RESTART_MS,
  );
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../src';

let upstream: Server | undefined;
let proxy: CountingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  proxy = undefined;
  upstream = undefined;
});

async function startUpstream(handler: Parameters<typeof createServer>[1]): Promise<string> {
  upstream = createServer(handler);
  await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}

/** What a fetch ended with: the status, or the failure's code. */
async function outcome(url: string, init: RequestInit): Promise<string> {
  try {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return `status ${response.status}`;
  } catch (error) {
    return `failed ${(error as { cause?: { code?: string } }).cause?.code ?? String(error)}`;
  }
}

describe('counting proxy', () => {
  it('forwards requests and counts them, with the request lines when recording', async () => {
    const target = await startUpstream((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`seen ${req.method} ${req.url}`);
    });
    proxy = await startCountingProxy(target, { record: true });
    const response = await fetch(`${proxy.url}/db/doc?x=1`);
    expect(await response.text()).toBe('seen GET /db/doc?x=1');
    await outcome(`${proxy.url}/db`, { method: 'PUT', body: '{}' });
    expect(proxy.seen).toEqual(['GET /db/doc', 'PUT /db']);
    expect(proxy.counts()).toMatchObject({ requests: 2, largestResponseBytes: 20 });
    proxy.reset();
    expect(proxy.seen).toEqual([]);
    expect(proxy.counts().requests).toBe(0);
  });

  it('keeps no request lines unless asked to', async () => {
    const target = await startUpstream((_req, res) => res.end('ok'));
    proxy = await startCountingProxy(target);
    await outcome(`${proxy.url}/a`, {});
    expect(proxy.seen).toEqual([]);
    expect(proxy.counts().requests).toBe(1);
  });

  // CouchDB answers a write into a missing database at once and closes the connection while
  // the body is still coming. Through the proxy, the client must see an answer or a closed
  // connection, never an upload that stalls until its own timeout.
  it('passes on a server that answers before reading the body and closes', async () => {
    const target = await startUpstream((req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', connection: 'close' });
      res.end('{"error":"not_found"}', () => req.socket.destroy());
    });
    proxy = await startCountingProxy(target);
    const body = 'x'.repeat(32 * 1024 * 1024);
    const results = await Promise.all(
      [1, 2, 3].map(() => outcome(`${proxy?.url}/db/_bulk_docs`, { method: 'POST', body })),
    );
    for (const result of results) expect(result).toMatch(/^(status 404|failed \w+)$/);
    // The proxy still serves afterwards.
    expect(proxy.counts().requests).toBe(3);
  });
});

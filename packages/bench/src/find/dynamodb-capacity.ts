import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the Query and Scan requests that passed a {@link CapacityProxy} cost, summed. */
export interface CapacityCounts {
  /** Every HTTP request. */
  requests: number;
  /** Items DynamoDB read (`ScannedCount`), before any filter. */
  scanned: number;
  /** Read capacity units DynamoDB charged (`ConsumedCapacity.CapacityUnits`). */
  capacity: number;
}

/** A proxy in front of DynamoDB that asks every Query and Scan for its consumed capacity. */
export interface CapacityProxy {
  url: string;
  counts(): CapacityCounts;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 that adds `ReturnConsumedCapacity: TOTAL` to each Query and
 * Scan passing through and sums what the replies report: the adapter is measured as it
 * is, with its own requests. Changing the body breaks the request's signature, which
 * DynamoDB Local does not check; the real service would refuse, so the bench uses the
 * proxy on DynamoDB Local only.
 */
export async function startCapacityProxy(target: string): Promise<CapacityProxy> {
  const upstream = new URL(target);
  let counts: CapacityCounts = { requests: 0, scanned: 0, capacity: 0 };
  const server: Server = createServer(async (incoming, outgoing) => {
    counts.requests++;
    const operation = String(incoming.headers['x-amz-target'] ?? '')
      .split('.')
      .pop();
    const measured = operation === 'Query' || operation === 'Scan';
    let body = await readBody(incoming);
    if (measured) {
      const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      body = Buffer.from(JSON.stringify(input), 'utf8');
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, 'content-length': String(body.length) },
      },
      async (reply) => {
        const answer = await readBody(reply);
        if (measured && reply.statusCode === 200) {
          const output = JSON.parse(answer.toString('utf8')) as {
            ScannedCount?: number;
            ConsumedCapacity?: { CapacityUnits?: number };
          };
          counts.scanned += output.ScannedCount ?? 0;
          counts.capacity += output.ConsumedCapacity?.CapacityUnits ?? 0;
        }
        outgoing.writeHead(reply.statusCode ?? 500, reply.headers);
        outgoing.end(answer);
      },
    );
    forward.on('error', () => outgoing.destroy());
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = { requests: 0, scanned: 0, capacity: 0 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireUnit } from '../results';

/** What a {@link WireProxy} has seen since it started or was last reset. */
export interface WireCounts {
  requests: number;
  /** Response body bytes as sent on the wire (compressed when the server compressed them). */
  responseBytes: number;
  /** The largest single response body, in bytes on the wire. */
  largestResponseBytes: number;
  /** That response's `content-encoding` ("identity" when it had none), e.g. "gzip". */
  largestResponseEncoding: string;
}

const HTTP_REQUESTS: WireUnit = {
  column: 'req/op',
  plural: 'requests',
  note: 'req/op = HTTP requests per call, counted by a proxy in front of the server.',
};

/**
 * A loopback HTTP proxy in front of a server that counts the requests and response bytes
 * passing through it: round trips counted on the wire, not guessed from the client code.
 * Every target of a run talks through the same proxy, so its overhead lands on all alike.
 */
export interface WireProxy {
  /** `http://127.0.0.1:PORT`, no credentials, no trailing slash. */
  readonly url: string;
  /** It counts HTTP requests. */
  readonly unit: WireUnit;
  counts(): WireCounts;
  reset(): void;
  close(): Promise<void>;
}

/**
 * {@link startWireProxy} in front of a server this run readied: when the proxy cannot
 * start, the server is closed before the error is passed on.
 */
export async function startWireProxyFor(
  server: { close(): Promise<void> },
  target: string,
): Promise<WireProxy> {
  try {
    return await startWireProxy(target);
  } catch (error) {
    await server.close();
    throw error;
  }
}

/**
 * Starts a {@link WireProxy} forwarding to `target`, listening on 127.0.0.1 only. It keeps
 * a few numbers, never the requests themselves, so millions of them cost no memory.
 */
export async function startWireProxy(target: string): Promise<WireProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let counts = emptyCounts();
  const server: Server = createServer((incoming, outgoing) => {
    counts.requests += 1;
    const forwarded = request(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        let bytes = 0;
        answer.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        answer.on('end', () => {
          counts.responseBytes += bytes;
          if (bytes > counts.largestResponseBytes) {
            counts.largestResponseBytes = bytes;
            counts.largestResponseEncoding = answer.headers['content-encoding'] ?? 'identity';
          }
        });
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    unit: HTTP_REQUESTS,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = emptyCounts();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

/** Counts before anything has been seen; every counter starts from these. */
export function emptyCounts(): WireCounts {
  return {
    requests: 0,
    responseBytes: 0,
    largestResponseBytes: 0,
    largestResponseEncoding: 'identity',
  };
}

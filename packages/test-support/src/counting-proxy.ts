import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Tally } from './tally';

/** What a {@link CountingProxy} has seen since it started or was last reset. */
export interface ProxyCounts {
  requests: number;
  /** Response body bytes as sent on the wire (compressed when the server compressed them). */
  responseBytes: number;
  /** The largest single response body, in bytes on the wire. */
  largestResponseBytes: number;
  /** That response's `content-encoding` ("identity" when it had none), e.g. "gzip". */
  largestResponseEncoding: string;
}

/**
 * A loopback HTTP proxy in front of a server that counts what passes through it: round
 * trips counted on the wire, not guessed from the client code.
 */
export interface CountingProxy {
  /** `http://127.0.0.1:PORT`, no credentials, no trailing slash. */
  readonly url: string;
  /**
   * Requests forwarded since the last reset, as "METHOD /path" without the query; empty
   * unless the proxy was started with `record: true`.
   */
  readonly seen: string[];
  counts(): ProxyCounts;
  /** Resolves once `count` requests in all (since the last reset) have reached the proxy. */
  reached(count: number): Promise<void>;
  /**
   * Resolves once `count` requests in all (since the last reset) were given up by their
   * client, its connection closed before the answer was complete: how a test sees that a
   * client really cancels a request it holds, not merely stops waiting for it.
   */
  abandoned(count: number): Promise<void>;
  /** Holds every request from now on: neither passed on nor answered. */
  hold(): void;
  /** Passes held requests on (those whose client still waits) and stops holding. */
  release(): void;
  reset(): void;
  close(): Promise<void>;
}

export interface CountingProxyOptions {
  /** Keep every request line in `seen` (tests); off, only numbers are kept (benchmarks). */
  record?: boolean;
}

/** Counts before anything has been seen; every counter starts from these. */
export function emptyProxyCounts(): ProxyCounts {
  return {
    requests: 0,
    responseBytes: 0,
    largestResponseBytes: 0,
    largestResponseEncoding: 'identity',
  };
}

/**
 * Starts a {@link CountingProxy} forwarding to `target`, listening on 127.0.0.1 only. When
 * the server breaks a connection (CouchDB answers a write into a missing database before
 * reading its body, then closes), the client's connection is broken too.
 */
export async function startCountingProxy(
  target: string,
  options: CountingProxyOptions = {},
): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const seen: string[] = [];
  let counts = emptyProxyCounts();
  const requests = new Tally();
  const abandoned = new Tally();
  let holding = false;
  let held: Array<() => void> = [];
  const server: Server = createServer((incoming, outgoing) => {
    if (options.record) seen.push(`${incoming.method} ${(incoming.url ?? '').split('?')[0]}`);
    requests.add();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) abandoned.add();
    });
    if (holding) held.push(() => forward(incoming, outgoing));
    else forward(incoming, outgoing);
  });
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (incoming.destroyed || outgoing.destroyed) return;
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
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  };
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
    seen,
    counts: () => ({ ...counts, requests: requests.count }),
    reached: (count) => requests.reached(count),
    abandoned: (count) => abandoned.reached(count),
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      const waiting = held;
      held = [];
      for (const pass of waiting) pass();
    },
    reset: () => {
      seen.length = 0;
      counts = emptyProxyCounts();
      requests.reset();
      abandoned.reset();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

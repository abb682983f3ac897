import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { startCountingProxy } from './counting-proxy';
import { Tally } from './tally';

/**
 * A loopback proxy in front of a backend that counts the requests a client sends through
 * it and can hold them (neither pass them on nor answer) until released: how the
 * conformance suite shows that no request of a call is made after the call's 503. It has
 * the shape of the suite's `RequestGate` option, less `create`, which each adapter adds.
 */
export interface RequestCounter {
  /** Where clients connect instead of the backend: `http://127.0.0.1:PORT` or `127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Requests that reached the proxy so far, held ones included. */
  requests(): number;
  /** Resolves once `count` requests in all have reached the proxy. */
  reached(count: number): Promise<void>;
  /** Holds every request from now on. */
  hold(): void;
  /** Passes held requests on (those whose client still waits) and stops holding. */
  release(): void;
  close(): Promise<void>;
}

/** Counting of requests and the waits for a count, for the proxies that are not HTTP/1.1. */
export class Counts extends Tally {
  holding = false;
}

/** Listens on a free port of 127.0.0.1 only; resolves that port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** A {@link RequestCounter} for HTTP/1.1 backends (CouchDB, DynamoDB): the counting proxy. */
export async function startHttpRequestCounter(target: string): Promise<RequestCounter> {
  const proxy = await startCountingProxy(target);
  return {
    url: proxy.url,
    port: Number(new URL(proxy.url).port),
    requests: () => proxy.counts().requests,
    reached: proxy.reached,
    hold: proxy.hold,
    release: proxy.release,
    close: proxy.close,
  };
}

/**
 * A {@link RequestCounter} for PostgreSQL: a TCP proxy that reads the frontend protocol and
 * counts each statement a client runs (a simple Query, or an Execute of the extended
 * protocol). Holding buffers everything clients send, so nothing new reaches the server.
 */
export async function startPostgresRequestCounter(
  host: string,
  targetPort: number,
): Promise<RequestCounter> {
  const counts = new Counts();
  const links = new Set<{ client: Socket; server: Socket; buffered: Buffer[] }>();
  const server = createServer((client) => {
    const backend = connect(targetPort, host);
    const link = { client, server: backend, buffered: [] as Buffer[] };
    links.add(link);
    let pending = Buffer.alloc(0);
    let startup = true;
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const header = startup ? 4 : 5;
        if (pending.length < header) break;
        const length = pending.readInt32BE(startup ? 0 : 1);
        const total = startup ? length : length + 1;
        if (pending.length < total) break;
        const type = startup ? '' : String.fromCharCode(pending[0] as number);
        // A startup packet is followed by typed messages, an SSL request by another startup.
        if (startup) startup = length === 8 && pending.readInt32BE(4) === 80877103;
        else if (type === 'Q' || type === 'E') counts.add();
        pending = pending.subarray(total);
      }
      if (counts.holding) link.buffered.push(chunk);
      else backend.write(chunk);
    });
    backend.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      links.delete(link);
      client.destroy();
      backend.destroy();
    };
    client.on('close', end);
    backend.on('close', end);
    client.on('error', end);
    backend.on('error', end);
  });
  const port = await listen(server);
  return {
    url: `127.0.0.1:${port}`,
    port,
    requests: () => counts.count,
    reached: (count) => counts.reached(count),
    hold: () => {
      counts.holding = true;
    },
    release: () => {
      counts.holding = false;
      for (const link of links) {
        for (const chunk of link.buffered) if (!link.server.destroyed) link.server.write(chunk);
        link.buffered = [];
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const link of links) {
          link.client.destroy();
          link.server.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/**
 * The conformance suite's `requestGate` option from a counter that a `beforeAll` starts:
 * `create` makes a service that talks to the counter's `url` with the given time limit.
 */
export function requestGateOf<S>(
  counter: () => RequestCounter,
  create: (url: string, timeoutMs: number) => S | Promise<S>,
) {
  return {
    create: (timeoutMs: number) => create(counter().url, timeoutMs),
    requests: () => counter().requests(),
    reached: (count: number) => counter().reached(count),
    hold: () => counter().hold(),
    release: () => counter().release(),
  };
}

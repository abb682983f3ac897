import { createServer, request, type Server } from 'node:http';

/** An HTTP proxy on loopback that forwards to `target` and counts the requests it sees. */
export interface CountingProxy {
  url: string;
  /** Requests forwarded since the last reset, as "METHOD /path" without the query. */
  readonly seen: string[];
  reset(): void;
  close(): Promise<void>;
}

/** Starts a {@link CountingProxy}: how the tests count round trips on the wire. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const seen: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${(incoming.url ?? '').split('?')[0]}`);
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    reset: () => {
      seen.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

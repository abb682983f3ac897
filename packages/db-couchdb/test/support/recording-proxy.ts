import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that passed the proxy, with CouchDB's answer. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  body: string;
}

/**
 * A plain HTTP proxy in front of CouchDB that keeps every request and answer, so a test
 * sees which requests the adapter sent (which view, which `_all_docs`) and how many rows
 * CouchDB read for them.
 */
export async function startRecordingProxy(target: string) {
  const upstream = new URL(target);
  const exchanges: Exchange[] = [];
  const server = createServer((incoming, outgoing) => {
    // CouchDB may answer before it has read the body (a write into a missing database)
    // and close: its answer still goes back whole; only a connection broken before any
    // answer breaks the client's.
    let answered = false;
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        answered = true;
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          exchanges.push({
            method: incoming.method ?? '',
            path: decodeURIComponent(incoming.url ?? ''),
            status: answer.statusCode ?? 0,
            body: body.toString('utf8'),
          });
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          outgoing.end(body);
        });
      },
    );
    forwarded.on('error', () => {
      if (!answered) outgoing.destroy();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Runs `work` and answers the exchanges it made. */
    async record<T>(work: () => Promise<T>): Promise<{ result: T; exchanges: Exchange[] }> {
      const from = exchanges.length;
      const result = await work();
      return { result, exchanges: exchanges.slice(from) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

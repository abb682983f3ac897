import { createServer } from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago: bound to port 0, then released.
 * Another process may take it before the caller binds it, so start servers through
 * {@link onFreeLoopbackPort}, which tries another port when a start fails.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error(`unexpected server address ${String(address)}`));
      });
    });
  });
}

/**
 * Calls `start` with a free loopback port until one start succeeds, at most `attempts`
 * times (default 3): between finding a free port and binding it, another process may take
 * it. Throws the last start's error, naming how many ports were tried.
 */
export async function onFreeLoopbackPort<T>(
  start: (port: number) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= attempts) {
        throw new Error(`no start succeeded on ${attempts} free ports; the last, on ${port}`, {
          cause: error,
        });
      }
    }
  }
}

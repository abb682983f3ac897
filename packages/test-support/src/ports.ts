import { createServer } from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago: bound to port 0, then released. Another
 * process may take it before the caller binds it, so a caller retries on EADDRINUSE.
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

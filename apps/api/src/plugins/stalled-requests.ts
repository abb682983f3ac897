import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What Node itself answers to a request that took too long to arrive. */
const REQUEST_TIMEOUT_ANSWER =
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Node ends a request that is still arriving after `requestTimeoutMs`, but only while the
 * server listens: once `close()` has begun, nobody checks, and one client that stalls its
 * upload would hold the drain until it is cut short. So a closing app gives every request
 * still arriving the same time again, then answers it 408 and closes its connection.
 * Requests that have arrived are left to finish.
 */
export function endStalledRequestsOnClose(app: FastifyInstance, requestTimeoutMs: number): void {
  const inFlight = new Set<FastifyRequest>();
  // Callback hooks: an async one costs every request a promise and a turn of the queue.
  app.addHook('onRequest', (request, _reply, done) => {
    inFlight.add(request);
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    inFlight.delete(request);
    done();
  });
  app.addHook('preClose', async () => {
    const timer = setTimeout(() => {
      for (const request of inFlight) {
        if (request.raw.complete) continue;
        request.raw.socket.end(REQUEST_TIMEOUT_ANSWER);
        request.raw.socket.destroySoon();
      }
    }, requestTimeoutMs);
    timer.unref();
  });
}

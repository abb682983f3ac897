import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  createServer,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { Counts, listen, type RequestCounter } from './request-gates';

/**
 * Headers that belong to one HTTP/2 hop, not to the gRPC call: the pseudo-headers (Node sets
 * them for the next hop; `:method`, `:path` and `:status` are passed on explicitly) and the
 * connection-specific ones HTTP/2 forbids. `te: trailers` is allowed, and gRPC requires it.
 */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);

function endToEnd(headers: IncomingHttpHeaders, keep: string[] = []): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    if (name.startsWith(':') && !keep.includes(name)) continue;
    result[name] = value;
  }
  return result;
}

/** A {@link RequestCounter} that also tells how many calls it passed on to the backend. */
export interface GrpcRequestCounter extends RequestCounter {
  /** Calls passed on so far: held ones count once released, cancelled ones never. */
  forwarded(): number;
}

/**
 * A {@link RequestCounter} for gRPC backends (the Firestore emulator): a plaintext HTTP/2
 * (h2c, prior knowledge) proxy on 127.0.0.1 in front of `target` ("HOST:PORT"). Each HTTP/2
 * stream is one gRPC call, counted once when it arrives. A held stream is neither passed on
 * nor answered; on release, those whose client still waits are passed on, and a stream the
 * client cancels (RST_STREAM) cancels its upstream stream, so a call its client gave up on
 * never reaches the backend.
 */
export async function startGrpcRequestCounter(target: string): Promise<GrpcRequestCounter> {
  const counts = new Counts();
  let forwarded = 0;
  let held: Array<() => void> = [];
  // One upstream session per client session: a client cancelling a session cancels only its
  // own calls upstream. Made on first use and again after the backend dropped it.
  const upstreams = new Map<ServerHttp2Session, ClientHttp2Session>();
  const upstreamOf = (session: ServerHttp2Session): ClientHttp2Session => {
    let upstream = upstreams.get(session);
    if (!upstream || upstream.closed || upstream.destroyed) {
      upstream = connect(`http://${target}`);
      upstream.on('error', () => {}); // its streams fail with it; the client sees them reset
      upstreams.set(session, upstream);
    }
    return upstream;
  };

  const forward = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    // Cancelled by its client (or its session closed) while held: never passed on.
    if (stream.closed || stream.destroyed) return;
    let call: ClientHttp2Stream;
    try {
      call = upstreamOf(stream.session as ServerHttp2Session).request(
        endToEnd(headers, [':method', ':path']),
      );
    } catch {
      stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    forwarded += 1;
    call.on('error', () => {}); // followed by 'close', handled below
    let responded = false;
    let trailers: OutgoingHttpHeaders | undefined;
    call.on('response', (answer, flags) => {
      responded = true;
      if (stream.closed || stream.destroyed) return;
      // Trailers-only: an error status in the headers, with END_STREAM and no body.
      if (flags & constants.NGHTTP2_FLAG_END_STREAM) {
        stream.respond(endToEnd(answer, [':status']), { endStream: true });
        return;
      }
      stream.respond(endToEnd(answer, [':status']), { waitForTrailers: true });
      call.pipe(stream);
    });
    call.on('trailers', (received) => {
      trailers = endToEnd(received);
    });
    stream.on('wantTrailers', () => {
      // A gRPC answer always ends with its status; without one, reset rather than invent it.
      if (trailers) stream.sendTrailers(trailers);
      else stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    });
    // The client cancelled (or its connection went): cancel the call upstream too.
    stream.on('close', () => {
      if (!call.closed) call.close(constants.NGHTTP2_CANCEL);
    });
    // The backend reset the call or went away before answering in full: so does the proxy.
    call.on('close', () => {
      if (stream.closed || stream.destroyed) return;
      if (call.rstCode !== constants.NGHTTP2_NO_ERROR || !responded)
        stream.close(call.rstCode || constants.NGHTTP2_INTERNAL_ERROR);
    });
    stream.pipe(call);
  };

  const sessions = new Set<ServerHttp2Session>();
  const server = createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('error', () => {}); // a reset connection (the adapter's TCP probe, say)
    session.on('close', () => {
      sessions.delete(session);
      upstreams.get(session)?.destroy();
      upstreams.delete(session);
    });
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {}); // a client's reset; 'close' follows
    counts.add();
    if (counts.holding) held.push(() => forward(stream, headers));
    else forward(stream, headers);
  });
  const port = await listen(server);
  return {
    url: `127.0.0.1:${port}`,
    port,
    requests: () => counts.count,
    forwarded: () => forwarded,
    reached: (count) => counts.reached(count),
    hold: () => {
      counts.holding = true;
    },
    release: () => {
      counts.holding = false;
      const waiting = held;
      held = [];
      for (const pass of waiting) pass();
    },
    close: () =>
      new Promise((resolve) => {
        held = [];
        for (const session of sessions) session.destroy();
        for (const upstream of upstreams.values()) upstream.destroy();
        server.close(() => resolve());
      }),
  };
}

import { connect, createServer, type Server, type Socket } from 'node:net';
import type { WireUnit } from '../results';
import { emptyCounts, type WireCounts } from './wire-proxy';

const GRPC_CALLS: WireUnit = {
  column: 'rpc/op',
  plural: 'RPCs',
  note: 'rpc/op = gRPC calls per call: HTTP/2 request streams counted by a proxy in front of the emulator.',
};

/** HTTP/2 frame types and flags this proxy reads (RFC 9113). */
const DATA = 0x0;
const HEADERS = 0x1;
const END_STREAM = 0x1;
const FRAME_HEADER_BYTES = 9;
const CLIENT_PREFACE_BYTES = 24;

/**
 * A loopback TCP proxy in front of the emulator that reads the HTTP/2 frames passing
 * through, without changing them: every HEADERS frame the client sends opens one gRPC call
 * (gRPC clients send no trailers), and the DATA frames the server sends on a stream are
 * that call's response. Counted on the wire, not guessed from the client code.
 */
export interface GrpcWireProxy {
  /** `127.0.0.1:PORT`, for `FIRESTORE_EMULATOR_HOST`. */
  readonly host: string;
  readonly unit: WireUnit;
  counts(): WireCounts;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a {@link GrpcWireProxy} forwarding to `target` (`host:port`), on 127.0.0.1 only. */
export async function startGrpcWireProxy(target: string): Promise<GrpcWireProxy> {
  const [targetHost = '127.0.0.1', targetPort = ''] = target.split(/:(?=[0-9]+$)/);
  let counts = emptyCounts();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: targetHost, port: Number(targetPort) });
    for (const socket of [client, upstream]) {
      // Without this, Nagle's algorithm and delayed ACKs add up to 40 ms to small frames.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const responses = new Map<number, number>();
    const fromClient = frameReader(CLIENT_PREFACE_BYTES, (type) => {
      if (type === HEADERS) counts.requests += 1;
    });
    const fromServer = frameReader(0, (type, flags, stream, length) => {
      if (stream === 0) return;
      const bytes = (responses.get(stream) ?? 0) + (type === DATA ? length : 0);
      if (type === DATA) counts.responseBytes += length;
      if ((type === DATA || type === HEADERS) && flags & END_STREAM) {
        responses.delete(stream);
        if (bytes > counts.largestResponseBytes) counts.largestResponseBytes = bytes;
      } else responses.set(stream, bytes);
    });
    client.on('data', (chunk: Buffer) => {
      fromClient(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      fromServer(chunk);
      client.write(chunk);
    });
    client.once('end', () => upstream.end());
    upstream.once('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    host: `127.0.0.1:${address.port}`,
    unit: GRPC_CALLS,
    counts: () => ({ ...counts }),
    reset() {
      counts = emptyCounts();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Calls `onFrame` for every HTTP/2 frame in a byte stream cut into arbitrary chunks, after
 * skipping `skip` bytes (the client's connection preface).
 */
function frameReader(
  skip: number,
  onFrame: (type: number, flags: number, stream: number, length: number) => void,
): (chunk: Buffer) => void {
  let toSkip = skip;
  let pending = Buffer.alloc(0);
  return (chunk) => {
    let buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    if (toSkip > 0) {
      const skipped = Math.min(toSkip, buffer.length);
      toSkip -= skipped;
      buffer = buffer.subarray(skipped);
    }
    let offset = 0;
    while (buffer.length - offset >= FRAME_HEADER_BYTES) {
      const length = buffer.readUIntBE(offset, 3);
      if (buffer.length - offset < FRAME_HEADER_BYTES + length) break;
      const type = buffer.readUInt8(offset + 3);
      const flags = buffer.readUInt8(offset + 4);
      const stream = buffer.readUInt32BE(offset + 5) & 0x7fffffff;
      onFrame(type, flags, stream, length);
      offset += FRAME_HEADER_BYTES + length;
    }
    pending = Buffer.from(buffer.subarray(offset));
  };
}

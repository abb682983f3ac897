import { connect } from 'node:net';
import type { Settings } from '@google-cloud/firestore';

/** Where the client sends its requests. */
export interface Endpoint {
  host: string;
  port: number;
}

/**
 * The endpoint the client talks to: the emulator of `FIRESTORE_EMULATOR_HOST` (which the
 * client prefers to its settings), the configured host, or Google's service.
 */
export function endpointOf(settings: Settings, env = process.env): Endpoint {
  const hostAndPort = env.FIRESTORE_EMULATOR_HOST?.trim() || settings.host;
  if (hostAndPort) {
    const match = /^\[?([^\]]+?)\]?(?::([0-9]+))?$/.exec(hostAndPort);
    return {
      host: match?.[1] ?? hostAndPort,
      port: Number(match?.[2] ?? settings.port ?? 443),
    };
  }
  const host = settings.apiEndpoint ?? settings.servicePath ?? 'firestore.googleapis.com';
  return { host, port: settings.port ?? 443 };
}

/**
 * Resolves once a TCP connection to the endpoint opens (and closes it at once); rejects with
 * the socket's error (ECONNREFUSED, ENOTFOUND ...), or ETIMEDOUT after `timeoutMs`.
 */
export function probeEndpoint({ host, port }: Endpoint, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(
        Object.assign(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      );
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

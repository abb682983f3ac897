import { isIP } from 'node:net';

/** How the API runs: read once at start-up from the environment. */
export interface ApiConfig {
  host: string;
  port: number;
  /** When set, every route but `/health` needs `Authorization: Bearer <token>`. */
  apiToken: string | undefined;
  /** Largest request body in bytes; bigger ones get 413. */
  bodyLimit: number;
  /**
   * How long a client may take to send a whole request, headers and body; a slower one gets
   * 408 and its connection is closed, so a stalled upload cannot hold a connection forever.
   */
  requestTimeoutMs: number;
  logLevel: string;
  /** How often expired documents are purged, in milliseconds; 0: never (the default). */
  purgeIntervalMs: number;
}

/** A setting that keeps the API from starting, with the reason. */
export class ApiConfigError extends Error {
  override name = 'ApiConfigError';
}

const DEFAULT_PORT = 3000;
const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * What a bearer token may hold: visible ASCII, no spaces. An Authorization header carries
 * nothing else reliably (a space ends the token; other characters arrive as Latin-1 bytes).
 */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Reads `HOST`, `PORT`, `API_TOKEN`, `API_BODY_LIMIT`, `API_REQUEST_TIMEOUT_MS`, `LOG_LEVEL`,
 * `API_PURGE_INTERVAL_MS` and `API_ALLOW_UNAUTHENTICATED`. The API binds 127.0.0.1 by default, and refuses to listen
 * beyond loopback without a token unless the operator opts out explicitly.
 */
export function readApiConfig(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = readInteger(env.PORT, 'PORT', DEFAULT_PORT, 0, 65_535);
  const apiToken = env.API_TOKEN?.trim() || undefined;
  const bodyLimit = readInteger(
    env.API_BODY_LIMIT,
    'API_BODY_LIMIT',
    DEFAULT_BODY_LIMIT,
    1,
    2 ** 30,
  );
  const requestTimeoutMs = readInteger(
    env.API_REQUEST_TIMEOUT_MS,
    'API_REQUEST_TIMEOUT_MS',
    DEFAULT_REQUEST_TIMEOUT_MS,
    100,
    3_600_000,
  );
  const purgeIntervalMs = readInteger(
    env.API_PURGE_INTERVAL_MS,
    'API_PURGE_INTERVAL_MS',
    0,
    0,
    7 * 24 * 3_600_000,
  );
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.has(logLevel)) {
    throw new ApiConfigError(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}`);
  }
  if (apiToken !== undefined && apiToken.length < 16) {
    throw new ApiConfigError('API_TOKEN must be at least 16 characters long');
  }
  if (apiToken !== undefined && !TOKEN_CHARACTERS.test(apiToken)) {
    throw new ApiConfigError(
      'API_TOKEN may hold only visible ASCII characters, without spaces: no client could send another token in an Authorization header',
    );
  }
  const optedOut = env.API_ALLOW_UNAUTHENTICATED?.trim() === 'true';
  if (!isLoopback(host) && apiToken === undefined && !optedOut) {
    throw new ApiConfigError(
      `HOST=${host} would expose the API beyond this machine without authentication: set API_TOKEN, or API_ALLOW_UNAUTHENTICATED=true if something in front of the API authenticates requests`,
    );
  }
  return { host, port, apiToken, bodyLimit, requestTimeoutMs, logLevel, purgeIntervalMs };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

function readInteger(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = raw?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ApiConfigError(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

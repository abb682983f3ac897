import { describe, expect, it } from 'vitest';
import { ApiConfigError, isLoopback, readApiConfig } from '../src';

const TOKEN = 'a-token-of-enough-length';

describe('readApiConfig', () => {
  it('binds 127.0.0.1:3000 with a 1 MiB body limit by default', () => {
    expect(readApiConfig({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      apiToken: undefined,
      bodyLimit: 1024 * 1024,
      requestTimeoutMs: 30_000,
      logLevel: 'info',
      purgeIntervalMs: 0,
    });
  });

  it('refuses to listen beyond loopback without a token', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'api.example.com']) {
      expect(() => readApiConfig({ HOST: host }), host).toThrow(ApiConfigError);
      expect(() => readApiConfig({ HOST: host }), host).toThrow(/API_TOKEN/);
    }
  });

  it('listens beyond loopback with a token, or when the operator opts out', () => {
    expect(readApiConfig({ HOST: '0.0.0.0', API_TOKEN: TOKEN }).host).toBe('0.0.0.0');
    expect(
      readApiConfig({ HOST: '0.0.0.0', API_ALLOW_UNAUTHENTICATED: 'true' }).apiToken,
    ).toBeUndefined();
    expect(() => readApiConfig({ HOST: '0.0.0.0', API_ALLOW_UNAUTHENTICATED: 'yes' })).toThrow(
      ApiConfigError,
    );
  });

  it.each([
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: 'http' }, /PORT/],
    [{ API_BODY_LIMIT: '0' }, /API_BODY_LIMIT/],
    [{ API_TOKEN: 'short' }, /at least 16/],
    // A space ends the token in the header; non-ASCII arrives as Latin-1 bytes: never usable.
    [{ API_TOKEN: 'abcdefgh ijklmnopqrst' }, /visible ASCII/],
    [{ API_TOKEN: 'jeton-secret-très-long' }, /visible ASCII/],
    [{ API_REQUEST_TIMEOUT_MS: '0' }, /API_REQUEST_TIMEOUT_MS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('refuses %j', (env, message) => {
    expect(() => readApiConfig(env)).toThrow(message);
  });

  it('knows which hosts are loopback', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.9.10',
      'localhost',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '128.0.0.1',
      'localhost.example.com',
      '::ffff:10.0.0.1',
    ]) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});

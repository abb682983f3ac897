import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiProcess, spawnApi, spawnRefusedApi } from './support/api-process';

describe('the API process (pnpm start)', () => {
  let api: ApiProcess | undefined;
  afterEach(() => {
    api?.child.kill('SIGKILL');
    api = undefined;
  });

  it('starts on the in-memory default, prints its URL and serves requests', async () => {
    api = await spawnApi({ DATABASE_PROVIDER: '' });
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${api.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok', provider: 'memory' });
    expect(api.output()).toContain(`${api.url}/docs`);
  });

  it('logs one line per request, when it has been answered', async () => {
    api = await spawnApi({ DATABASE_PROVIDER: '', LOG_LEVEL: 'info' });
    const answer = await fetch(`${api.url}/agents/nobody`, {
      headers: { 'x-request-id': 'log-line-check' },
    });
    expect(answer.status).toBe(404);
    await api.printed(/"reqId":"log-line-check".*"msg":"request completed"/);
    const lines = api
      .output()
      .split('\n')
      .filter((line) => line.includes('"reqId":"log-line-check"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 30,
      req: { method: 'GET', url: '/agents/nobody' },
      res: { statusCode: 404 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
  });

  it('finishes a request in flight at SIGTERM, then exits 0 and stops listening', async () => {
    api = await spawnApi({ LOG_LEVEL: 'info' });
    const user = {
      _id: 'u1',
      basic_info: { display_name: 'A', email: 'a@example.com' },
      usage_info: { monthly_allowance: 1, spend_remaining: 1 },
    };
    await fetch(`${api.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user),
    });
    const body = JSON.stringify({ response_cost: 0.01 });
    const charge = heldRequest(api.url, 'POST /users/u1/usage', Buffer.byteLength(body));
    await charge.arrived;
    api.child.kill('SIGTERM');
    await api.printed(/SIGTERM: finishing in-flight requests/);
    charge.send(body);
    expect(await charge.closed).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201/);
    expect(await api.exited).toBe(0);
    await expect(fetch(`${api.url}/health`)).rejects.toThrow();
  });

  /**
   * Starts a request (`line`: method and path) whose body the client holds back:
   * `arrived` resolves once the server has read the headers (it asks for the body with
   * "100 Continue"); `send` sends the body; `closed` resolves, once the server has closed
   * the connection, with all it sent.
   */
  function heldRequest(url: string, line: string, length = 100) {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    let received = '';
    const arrived = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) resolve();
      });
    });
    socket.once('connect', () =>
      socket.write(
        `${line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\nexpect: 100-continue\r\n\r\n`,
      ),
    );
    const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
    return { arrived, closed, send: (body: string) => socket.write(body) };
  }

  /** A PUT that announces 100 bytes and, once the server waits for them, sends 1. */
  async function stalledUpload(url: string) {
    const upload = heldRequest(url, 'PUT /demos/d1');
    await upload.arrived;
    upload.send('{');
    return upload;
  }

  it('answers 408 to a request body that stalls, and closes its connection', async () => {
    api = await spawnApi({ API_REQUEST_TIMEOUT_MS: '1000', LOG_LEVEL: 'info' });
    const upload = await stalledUpload(api.url);
    expect(await upload.closed).toMatch(/HTTP\/1\.1 408/);
    // Its one log line: it was never answered by the API itself.
    await api.printed(/"url":"\/demos\/d1".*"msg":"request aborted"/);
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });

  it('drains on SIGTERM and exits 0 while a request body stalls', async () => {
    api = await spawnApi({ API_REQUEST_TIMEOUT_MS: '1000' });
    const upload = await stalledUpload(api.url);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await upload.closed).toMatch(/HTTP\/1\.1 408/);
  });

  it('refuses to listen beyond loopback without API_TOKEN', async () => {
    const { code, output } = await spawnRefusedApi({ HOST: '0.0.0.0' });
    expect(code).toBe(1);
    expect(output).toContain('API_TOKEN');
  });

  it('refuses an unknown provider and a provider without its settings, naming them', async () => {
    const unknown = await spawnRefusedApi({ DATABASE_PROVIDER: 'oracle' });
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('Unknown DATABASE_PROVIDER "oracle"');
    const unset = await spawnRefusedApi({ DATABASE_PROVIDER: 'couchdb', COUCHDB_URL: '' });
    expect(unset.code).toBe(1);
    expect(unset.output).toContain('COUCHDB_URL');
  });
});

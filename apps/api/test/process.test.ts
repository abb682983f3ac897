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

  it('finishes an in-flight request on SIGTERM, then exits 0 and stops listening', async () => {
    api = await spawnApi({});
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
    const charges = Array.from({ length: 50 }, () =>
      fetch(`${api?.url}/users/u1/usage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_cost: 0.01 }),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    api.child.kill('SIGTERM');
    const settled = await Promise.allSettled(charges);
    expect(await api.exited).toBe(0);
    // Requests accepted before the signal are finished (201); later ones get a clean 503.
    const answered = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.status] : []));
    expect(answered.length).toBeGreaterThan(0);
    for (const status of answered) expect([201, 503]).toContain(status);
    await expect(fetch(`${api.url}/health`)).rejects.toThrow();
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

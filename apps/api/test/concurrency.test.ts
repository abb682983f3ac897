import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { buildsIndexesSafely, call, QUIET, startApi } from './support/api';
import { apiBackends, isolatedEnv } from './support/backends';
import { agentBody, demoBody, sessionBody, ticketBody, userBody } from './support/seed-documents';

function statuses(responses: Array<{ statusCode: number }>): number[] {
  return responses.map((response) => response.statusCode).sort();
}

describe.each(apiBackends())('concurrent requests on $name', (backend) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await startApi(isolatedEnv(backend));
  });
  afterEach(() => app.close());

  it('100 concurrent charges through two API instances leave exactly 100 records and the exact remaining amount', async () => {
    // A second instance on the same database: its updates are not queued behind the
    // first's, so only the revision checks keep the two from losing each other's charges.
    const other = await buildApp({
      db: app.db,
      provider: backend.name,
      config: QUIET,
      queryIndexes: buildsIndexesSafely(backend.name),
    });
    try {
      await call(app, 'POST', '/users', userBody('u1'));
      const charges = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          call(i % 2 ? app : other, 'POST', '/users/u1/usage', {
            response_cost: 0.07,
            agent_id: `agent-${i}`,
          }),
        ),
      );
      expect(statuses(charges)).toEqual(Array(100).fill(201));
      const user = (await call(app, 'GET', '/users/u1')).json();
      expect(user.usage_info.usage).toHaveLength(100);
      expect(user.usage_info.spend_remaining).toBe(93);
      const agents = user.usage_info.usage.map((record: { agent_id: string }) => record.agent_id);
      expect(new Set(agents).size).toBe(100);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('concurrent messages are all appended', async () => {
    await call(app, 'POST', '/sessions', sessionBody('s1'));
    const posts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(app, 'POST', '/sessions/s1/messages', { role: 'user', content: `message ${i}` }),
      ),
    );
    expect(statuses(posts)).toEqual(Array(30).fill(201));
    const session = (await call(app, 'GET', '/sessions/s1')).json();
    const contents = session.messages.map((m: { content: string }) => m.content).sort();
    expect(contents).toEqual(Array.from({ length: 30 }, (_, i) => `message ${i}`).sort());
  }, 60_000);

  it('two agents racing for one friendly name: exactly one gets it, the other 409', async () => {
    const first = (
      await call(app, 'POST', '/agents', agentBody({ friendly_name: 'shared' }))
    ).json();
    const second = (
      await call(app, 'POST', '/agents', agentBody({ friendly_name: 'shared' }))
    ).json();
    const results = await Promise.all([
      call(app, 'POST', `/agents/${first._id}/deploy`, {}),
      call(app, 'POST', `/agents/${second._id}/deploy`, {}),
    ]);
    expect(statuses(results)).toEqual([201, 409]);
    const winner = results.find((r) => r.statusCode === 201)?.json();
    const stored = (await call(app, 'GET', '/deployments/shared')).json();
    expect(stored.agentId).toBe(winner.agentId);
  });

  it('of ten PUTs with the same If-Match, exactly one wins and nine get 412', async () => {
    const created = await call(app, 'POST', '/demos', demoBody('d1'));
    const etag = created.headers.etag as string;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(app, 'PUT', '/demos/d1', { name: `writer ${i}` }, { 'if-match': etag }),
      ),
    );
    expect(statuses(results)).toEqual([200, ...Array(9).fill(412)]);
    const winner = results.find((r) => r.statusCode === 200)?.json();
    expect((await call(app, 'GET', '/demos/d1')).json().name).toBe(winner.name);
  });

  it('two workers completing one ticket: one succeeds, the other gets 409', async () => {
    await call(app, 'POST', '/tickets', ticketBody('t1', { status: 'processing' }));
    const results = await Promise.all([
      call(app, 'POST', '/tickets/t1/status', { status: 'completed', result: { by: 'a' } }),
      call(app, 'POST', '/tickets/t1/status', { status: 'failed', error: 'by b' }),
    ]);
    expect(statuses(results)).toEqual([200, 409]);
    const ticket = (await call(app, 'GET', '/tickets/t1')).json();
    expect(['completed', 'failed']).toContain(ticket.status);
  });
});

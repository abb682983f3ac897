import { createDatabaseService } from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { buildsIndexesSafely, call, QUIET } from './support/api';
import { apiBackends, isolatedEnv } from './support/backends';
import { agentBody, sessionBody, ticketBody, userBody } from './support/seed-documents';
import { watchService } from './support/watched-service';

describe.each(apiBackends())('Gofannon workflows on $name', (backend) => {
  let app: FastifyInstance;
  const counts = new Map<string, number>();
  beforeEach(async () => {
    counts.clear();
    const db = watchService(await createDatabaseService({ env: isolatedEnv(backend) }), (method) =>
      counts.set(method, (counts.get(method) ?? 0) + 1),
    );
    app = await buildApp({
      db,
      provider: backend.name,
      config: QUIET,
      queryIndexes: buildsIndexesSafely(backend.name),
    });
  });
  afterEach(() => app.close());

  async function createAgent(overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await call(app, 'POST', '/agents', agentBody(overrides));
    expect(response.statusCode).toBe(201);
    return response.json()._id;
  }

  describe('deployments', () => {
    it("deploys under the agent's friendly name; deploying again is a no-op", async () => {
      const agentId = await createAgent({ friendly_name: 'weather' });
      const first = await call(app, 'POST', `/agents/${agentId}/deploy`, {});
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ _id: 'weather', agentId });
      const again = await call(app, 'POST', `/agents/${agentId}/deploy`, {});
      expect(again.statusCode).toBe(200);
      expect(again.json()._rev).toBe(first.json()._rev);
    });

    it('deploys under a name from the body, and refuses a name another agent holds', async () => {
      const a = await createAgent();
      const b = await createAgent();
      expect(
        (await call(app, 'POST', `/agents/${a}/deploy`, { friendly_name: 'mine' })).statusCode,
      ).toBe(201);
      const taken = await call(app, 'POST', `/agents/${b}/deploy`, { friendly_name: 'mine' });
      expect(taken.statusCode).toBe(409);
      expect((await call(app, 'GET', '/deployments/mine')).json().agentId).toBe(a);
    });

    it('answers 404 for a missing agent, 400 without any name or with a bad one', async () => {
      expect(
        (await call(app, 'POST', '/agents/nope/deploy', { friendly_name: 'x' })).statusCode,
      ).toBe(404);
      const nameless = await createAgent({ friendly_name: undefined });
      expect((await call(app, 'POST', `/agents/${nameless}/deploy`, {})).statusCode).toBe(400);
      const bad = await call(app, 'POST', `/agents/${nameless}/deploy`, {
        friendly_name: 'No Spaces',
      });
      expect(bad.statusCode).toBe(400);
      expect((await call(app, 'GET', '/deployments')).json().documents).toEqual([]);
    });

    it('lists deployments with their agents’ names from one batch read', async () => {
      const names = ['alpha', 'beta', 'gamma', 'delta'];
      for (const name of names) {
        const id = await createAgent({ name: `Agent ${name}`, friendly_name: name });
        await call(app, 'POST', `/agents/${id}/deploy`, {});
      }
      await call(app, 'POST', '/deployments', { _id: 'orphan', agentId: 'gone' });
      counts.clear();
      const listed = await call(app, 'GET', '/deployments');
      expect(listed.statusCode).toBe(200);
      const byName = Object.fromEntries(
        listed
          .json()
          .documents.map((d: { _id: string; agentName: string | null }) => [d._id, d.agentName]),
      );
      expect(byName).toEqual({
        alpha: 'Agent alpha',
        beta: 'Agent beta',
        gamma: 'Agent gamma',
        delta: 'Agent delta',
        orphan: null,
      });
      expect(counts.get('getMany')).toBe(1);
      expect(counts.get('get') ?? 0).toBe(0);
    });

    it("undeploys, and deleting an agent removes its deployment but no one else's", async () => {
      const a = await createAgent({ friendly_name: 'a-name' });
      const b = await createAgent({ friendly_name: 'b-name' });
      await call(app, 'POST', `/agents/${a}/deploy`, {});
      await call(app, 'POST', `/agents/${b}/deploy`, {});
      expect((await call(app, 'DELETE', `/agents/${b}/deploy`)).statusCode).toBe(204);
      expect((await call(app, 'DELETE', `/agents/${b}/deploy`)).statusCode).toBe(404);
      expect((await call(app, 'GET', '/deployments/b-name')).statusCode).toBe(404);
      await call(app, 'POST', `/agents/${b}/deploy`, {});

      counts.clear();
      expect((await call(app, 'DELETE', `/agents/${a}`)).statusCode).toBe(204);
      // Found by a query on agentId, never by reading the whole collection.
      expect(counts.get('find')).toBe(1);
      expect(counts.get('listAll') ?? 0).toBe(0);
      expect(counts.get('list') ?? 0).toBe(0);
      expect((await call(app, 'GET', '/deployments/a-name')).statusCode).toBe(404);
      expect((await call(app, 'GET', '/deployments/b-name')).json().agentId).toBe(b);
    });
  });

  describe('usage', () => {
    it('records a charge with a server timestamp and lowers spend_remaining', async () => {
      await call(app, 'POST', '/users', userBody('u1'));
      const charge = await call(app, 'POST', '/users/u1/usage', {
        response_cost: 0.05,
        session_id: 's1',
      });
      expect(charge.statusCode).toBe(201);
      expect(charge.json()).toMatchObject({ spend_remaining: 99.95, usage_count: 1 });
      const user = (await call(app, 'GET', '/users/u1')).json();
      expect(user.usage_info.usage[0]).toMatchObject({ response_cost: 0.05, session_id: 's1' });
      expect(Date.parse(user.usage_info.usage[0].timestamp)).not.toBeNaN();
      expect(charge.headers.etag).toBe(`"${user._rev}"`);
    });

    it('answers 404 for a missing user and 400 for a negative or missing cost', async () => {
      expect((await call(app, 'POST', '/users/nope/usage', { response_cost: 1 })).statusCode).toBe(
        404,
      );
      await call(app, 'POST', '/users', userBody('u1'));
      expect((await call(app, 'POST', '/users/u1/usage', { response_cost: -1 })).statusCode).toBe(
        400,
      );
      expect((await call(app, 'POST', '/users/u1/usage', {})).statusCode).toBe(400);
      expect((await call(app, 'GET', '/users/u1')).json().usage_info.usage).toEqual([]);
    });

    it('moves a large balance by exactly each charge; a charge finer than a millionth is 400', async () => {
      const info = { monthly_allowance: 10_000_000, spend_remaining: 10_000_000, usage: [] };
      await call(app, 'POST', '/users', userBody('rich', { usage_info: info }));
      for (let i = 0; i < 3; i++) {
        const charge = await call(app, 'POST', '/users/rich/usage', { response_cost: 0.000001 });
        expect(charge.statusCode).toBe(201);
      }
      for (const cost of [1e-9, 1e-12, 0.0000015]) {
        const fine = await call(app, 'POST', '/users/rich/usage', { response_cost: cost });
        expect(fine.statusCode, String(cost)).toBe(400);
        expect(fine.json().error.message).toMatch(/millionth/);
      }
      const user = (await call(app, 'GET', '/users/rich')).json();
      expect(user.usage_info.spend_remaining).toBe(9_999_999.999997);
      expect(user.usage_info.usage).toHaveLength(3);
    });
  });

  describe('sessions', () => {
    it('appends a message with a server timestamp; 404 for a missing session', async () => {
      await call(app, 'POST', '/sessions', sessionBody('s1'));
      const posted = await call(app, 'POST', '/sessions/s1/messages', {
        role: 'user',
        content: 'Hello',
      });
      expect(posted.statusCode).toBe(201);
      expect(posted.json().message_count).toBe(1);
      const session = (await call(app, 'GET', '/sessions/s1')).json();
      expect(session.messages[0]).toMatchObject({ role: 'user', content: 'Hello' });
      expect(session.updated_at >= session.created_at).toBe(true);
      expect(
        (await call(app, 'POST', '/sessions/none/messages', { role: 'user', content: 'x' }))
          .statusCode,
      ).toBe(404);
      expect(
        (await call(app, 'POST', '/sessions/s1/messages', { role: 'robot', content: 'x' }))
          .statusCode,
      ).toBe(400);
    });
  });

  describe('tickets', () => {
    it('goes pending -> processing -> completed, stamping completed_at', async () => {
      await call(app, 'POST', '/tickets', ticketBody('t1'));
      const processing = await call(app, 'POST', '/tickets/t1/status', { status: 'processing' });
      expect(processing.statusCode).toBe(200);
      expect(processing.json().status).toBe('processing');
      const done = await call(app, 'POST', '/tickets/t1/status', {
        status: 'completed',
        result: { output: 42 },
      });
      expect(done.statusCode).toBe(200);
      const ticket = (await call(app, 'GET', '/tickets/t1')).json();
      expect(ticket).toMatchObject({ status: 'completed', result: { output: 42 } });
      expect(Date.parse(ticket.result.completed_at)).not.toBeNaN();
      expect(done.headers.etag).toBe(`"${ticket._rev}"`);
    });

    it('refuses moves out of a final status (409) and results or errors on the wrong status (400)', async () => {
      await call(app, 'POST', '/tickets', ticketBody('t1'));
      expect(
        (await call(app, 'POST', '/tickets/t1/status', { status: 'failed', result: {} }))
          .statusCode,
      ).toBe(400);
      expect(
        (await call(app, 'POST', '/tickets/t1/status', { status: 'completed', error: 'x' }))
          .statusCode,
      ).toBe(400);
      expect(
        (await call(app, 'POST', '/tickets/t1/status', { status: 'failed', error: 'boom' }))
          .statusCode,
      ).toBe(200);
      const again = await call(app, 'POST', '/tickets/t1/status', { status: 'processing' });
      expect(again.statusCode).toBe(409);
      expect((await call(app, 'GET', '/tickets/t1')).json()).toMatchObject({
        status: 'failed',
        error: 'boom',
      });
      expect(
        (await call(app, 'POST', '/tickets/none/status', { status: 'processing' })).statusCode,
      ).toBe(404);
    });
  });
});

import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startApi } from './support/api';
import { apiBackends, isolatedEnv } from './support/backends';
import { ticketBody } from './support/seed-documents';

/** 512 characters of two UTF-8 bytes each: a valid length in characters, twice too long in bytes. */
const LONG_IN_BYTES = 'é'.repeat(512);

describe.each(apiBackends())('what one document holds never breaks a route on $name', (backend) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await startApi(isolatedEnv(backend));
  });
  afterEach(() => app.close());

  it('refuses a reference no document could be named by, and stores nothing', async () => {
    for (const agentId of [LONG_IN_BYTES, 'a\u0000b', '']) {
      const put = await call(app, 'PUT', '/deployments/evil', { agentId });
      expect(put.statusCode, JSON.stringify(agentId)).toBe(400);
      expect(put.json().error.code).toBe('invalid');
    }
    const post = await call(app, 'POST', '/sessions', {
      _id: 's1',
      user_id: LONG_IN_BYTES,
      agent_id: 'a1',
    });
    expect(post.statusCode).toBe(400);
    expect((await call(app, 'GET', '/deployments/evil')).statusCode).toBe(404);
    expect((await call(app, 'GET', '/sessions/s1')).statusCode).toBe(404);
  });

  it('lists deployments whose agentId another client wrote badly, with agentName null', async () => {
    // Written past the API, as another client or an import could.
    for (const [id, agentId] of [
      ['long', LONG_IN_BYTES],
      ['number', 42],
      ['none', null],
    ] as const) {
      await app.db.save('deployments', id, { agentId });
    }
    await app.db.save('agents', 'a1', { name: 'Real' });
    await app.db.save('deployments', 'fine', { agentId: 'a1' });
    const listed = await call(app, 'GET', '/deployments');
    expect(listed.statusCode).toBe(200);
    const names = Object.fromEntries(
      listed.json().documents.map((d: { _id: string; agentName: unknown }) => [d._id, d.agentName]),
    );
    expect(names).toEqual({ long: null, number: null, none: null, fine: 'Real' });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'answers 409 for a ticket whose stored status is %s, and changes nothing',
    async (status) => {
      const { rev } = await app.db.save('tickets', 't1', { ...ticketBody('t1'), status });
      const move = await call(app, 'POST', '/tickets/t1/status', { status: 'processing' });
      expect(move.statusCode).toBe(409);
      expect(move.json().error.code).toBe('conflict');
      expect((await app.db.get('tickets', 't1'))._rev).toBe(rev);
    },
  );
});

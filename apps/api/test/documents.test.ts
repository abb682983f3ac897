import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startApi } from './support/api';
import { apiBackends, isolatedEnv } from './support/backends';
import {
  agentBody,
  demoBody,
  deploymentBody,
  sessionBody,
  ticketBody,
  userBody,
} from './support/seed-documents';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(apiBackends())('document routes on $name', (backend) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await startApi(isolatedEnv(backend));
  });
  afterEach(() => app.close());

  it('creates an agent under a new UUID, with server timestamps, an ETag and a Location', async () => {
    const created = await call(app, 'POST', '/agents', {
      ...agentBody(),
      created_at: '2000-01-01T00:00:00.000Z',
    });
    expect(created.statusCode).toBe(201);
    const agent = created.json();
    expect(agent._id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(created.headers.etag).toBe(`"${agent._rev}"`);
    expect(created.headers.location).toBe(`/agents/${agent._id}`);
    expect(agent.created_at).toMatch(ISO);
    expect(agent.created_at).not.toBe('2000-01-01T00:00:00.000Z');
    expect(agent.updated_at).toBe(agent.created_at);

    const read = await call(app, 'GET', `/agents/${agent._id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(agent);
    expect(read.headers.etag).toBe(created.headers.etag);
  });

  it('stores a seed-shaped document of every collection and reads it back unchanged', async () => {
    const bodies: Array<[string, Record<string, unknown>]> = [
      ['deployments', deploymentBody('weather', 'agent-1')],
      ['users', userBody('user_google_1')],
      ['sessions', sessionBody('session_1')],
      ['tickets', ticketBody('ticket_1')],
      ['demos', demoBody('demo_chat')],
    ];
    for (const [collection, body] of bodies) {
      const created = await call(app, 'POST', `/${collection}`, body);
      expect(created.statusCode, collection).toBe(201);
      const read = await call(app, 'GET', `/${collection}/${body._id}`);
      expect(read.json(), collection).toEqual(created.json());
      expect(read.json(), collection).toMatchObject(body);
    }
  });

  it('fills schema defaults: a new ticket is pending, a demo is private', async () => {
    const ticket = await call(app, 'POST', '/tickets', { _id: 't1', request: {} });
    expect(ticket.json().status).toBe('pending');
    const demo = await call(app, 'POST', '/demos', { _id: 'd1', name: 'Demo' });
    expect(demo.json().is_public).toBe(false);
  });

  it('refuses a second create of the same id with 409, keeping the first', async () => {
    expect((await call(app, 'POST', '/demos', demoBody('d1'))).statusCode).toBe(201);
    const again = await call(app, 'POST', '/demos', demoBody('d1', { name: 'Other' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    expect((await call(app, 'GET', '/demos/d1')).json().name).toBe('Chat demo');
  });

  it.each([
    ['a missing required field', '/demos', { _id: 'd1' }],
    ['a missing _id where the collection takes it from the body', '/demos', { name: 'x' }],
    ['a number where a string belongs (never coerced)', '/demos', { _id: 'd1', name: 5 }],
    ['an unknown field', '/demos', { _id: 'd1', name: 'x', colour: 'red' }],
    ['an _id on an agent (agents get a UUID)', '/agents', { _id: 'mine', name: 'x' }],
    ['a badly formed timestamp', '/sessions', sessionBody('s1', { expires_at: 'tomorrow' })],
    ['an unknown ticket status', '/tickets', ticketBody('t1', { status: 'lost' })],
    [
      'an invalid e-mail',
      '/users',
      userBody('u1', { basic_info: { display_name: 'A', email: 'no' } }),
    ],
    ['a friendly name that is not URL-safe', '/deployments', { _id: 'Bad Name', agentId: 'a' }],
  ])('answers 400 for %s and stores nothing', async (_, url, body) => {
    const response = await call(app, 'POST', url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid');
    const listed = await call(app, 'GET', url);
    expect(listed.json().documents).toEqual([]);
  });

  it('answers 404 with the contract error for a missing document', async () => {
    const response = await call(app, 'GET', '/demos/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({
      code: 'not_found',
      collection: 'demos',
      id: 'nope',
    });
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const created = await call(app, 'POST', '/demos', demoBody('d1'));
    const etag = created.headers.etag as string;
    expect(
      (await call(app, 'GET', '/demos/d1', undefined, { 'if-none-match': etag })).statusCode,
    ).toBe(304);
    expect(
      (await call(app, 'GET', '/demos/d1', undefined, { 'if-none-match': '"0-old"' })).statusCode,
    ).toBe(200);
  });

  it('compares If-None-Match weakly and If-Match strongly, as HTTP does', async () => {
    const created = await call(app, 'POST', '/demos', demoBody('d1'));
    const weak = `W/${created.headers.etag as string}`;
    const unchanged = await call(app, 'GET', '/demos/d1', undefined, { 'if-none-match': weak });
    expect(unchanged.statusCode).toBe(304);
    const overwrite = await call(app, 'PUT', '/demos/d1', { name: 'x' }, { 'if-none-match': weak });
    expect(overwrite.statusCode).toBe(412);
    const strong = await call(app, 'PUT', '/demos/d1', { name: 'y' }, { 'if-match': weak });
    expect(strong.statusCode).toBe(412);
    expect((await call(app, 'GET', '/demos/d1')).json().name).toBe('Chat demo');
  });

  describe('PUT', () => {
    it('creates (201), then replaces (200) keeping created_at and moving updated_at', async () => {
      const first = await call(app, 'PUT', '/demos/d1', demoBody('d1'));
      expect(first.statusCode).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await call(app, 'PUT', '/demos/d1', { name: 'Renamed' });
      expect(second.statusCode).toBe(200);
      expect(second.json().created_at).toBe(first.json().created_at);
      expect(second.json().updated_at > first.json().updated_at).toBe(true);
      expect(second.json()._rev).not.toBe(first.json()._rev);
      const read = (await call(app, 'GET', '/demos/d1')).json();
      expect(read).toEqual(second.json());
      expect(read).not.toHaveProperty('config');
    });

    it('replaces only the revision If-Match names; 412 otherwise, the document untouched', async () => {
      const created = await call(app, 'POST', '/demos', demoBody('d1'));
      const etag = created.headers.etag as string;
      const updated = await call(app, 'PUT', '/demos/d1', { name: 'v2' }, { 'if-match': etag });
      expect(updated.statusCode).toBe(200);
      const stale = await call(app, 'PUT', '/demos/d1', { name: 'v3' }, { 'if-match': etag });
      expect(stale.statusCode).toBe(412);
      expect(stale.json().error.code).toBe('precondition_failed');
      expect((await call(app, 'GET', '/demos/d1')).json().name).toBe('v2');
    });

    it('answers 412 to If-Match on a missing document and creates nothing', async () => {
      const response = await call(
        app,
        'PUT',
        '/demos/d1',
        { name: 'x' },
        { 'if-match': '"1-abc"' },
      );
      expect(response.statusCode).toBe(412);
      expect((await call(app, 'GET', '/demos/d1')).statusCode).toBe(404);
    });

    it('creates only with If-None-Match: *', async () => {
      const headers = { 'if-none-match': '*' };
      expect((await call(app, 'PUT', '/demos/d1', { name: 'a' }, headers)).statusCode).toBe(201);
      expect((await call(app, 'PUT', '/demos/d1', { name: 'b' }, headers)).statusCode).toBe(412);
      expect((await call(app, 'GET', '/demos/d1')).json().name).toBe('a');
    });

    it('answers 400 to a malformed If-Match and to a body _id that is not the URL id', async () => {
      await call(app, 'POST', '/demos', demoBody('d1'));
      const malformed = await call(
        app,
        'PUT',
        '/demos/d1',
        { name: 'x' },
        { 'if-match': 'no-quotes' },
      );
      expect(malformed.statusCode).toBe(400);
      const mismatch = await call(app, 'PUT', '/demos/d1', { _id: 'd2', name: 'x' });
      expect(mismatch.statusCode).toBe(400);
      expect((await call(app, 'GET', '/demos/d1')).json().name).toBe('Chat demo');
      expect((await call(app, 'GET', '/demos/d2')).statusCode).toBe(404);
    });

    it('accepts a document as GET returned it (server fields are overwritten)', async () => {
      const created = (await call(app, 'POST', '/demos', demoBody('d1'))).json();
      const sentBack = await call(app, 'PUT', '/demos/d1', { ...created, name: 'Edited' });
      expect(sentBack.statusCode).toBe(200);
      expect(sentBack.json()).toMatchObject({ name: 'Edited', created_at: created.created_at });
    });
  });

  describe('DELETE', () => {
    it('deletes (204), then answers 404', async () => {
      await call(app, 'POST', '/demos', demoBody('d1'));
      expect((await call(app, 'DELETE', '/demos/d1')).statusCode).toBe(204);
      expect((await call(app, 'GET', '/demos/d1')).statusCode).toBe(404);
      expect((await call(app, 'DELETE', '/demos/d1')).statusCode).toBe(404);
    });

    it('deletes only the revision If-Match names', async () => {
      const created = await call(app, 'POST', '/demos', demoBody('d1'));
      const stale = await call(app, 'DELETE', '/demos/d1', undefined, { 'if-match': '"1-stale"' });
      expect(stale.statusCode).toBe(412);
      expect((await call(app, 'GET', '/demos/d1')).statusCode).toBe(200);
      const current = { 'if-match': created.headers.etag as string };
      expect((await call(app, 'DELETE', '/demos/d1', undefined, current)).statusCode).toBe(204);
      expect((await call(app, 'DELETE', '/demos/d1', undefined, current)).statusCode).toBe(412);
    });
  });

  describe('listing', () => {
    it('pages through every document with limit and cursor', async () => {
      const ids = Array.from({ length: 7 }, (_, i) => `demo-${i}`);
      for (const id of ids) await call(app, 'POST', '/demos', demoBody(id));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await call(app, 'GET', `/demos?limit=3${query}`);
        expect(page.statusCode).toBe(200);
        const body = page.json();
        expect(body.documents.length).toBeLessThanOrEqual(3);
        seen.push(...body.documents.map((d: { _id: string }) => d._id));
        cursor = body.nextCursor;
        pages++;
      } while (cursor);
      expect(seen.sort()).toEqual(ids);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it.each([
      ['limit=0', 400],
      ['limit=1001', 400],
      ['limit=ten', 400],
      ['cursor=not-a-cursor', 400],
    ])('answers ?%s with %i', async (query, status) => {
      const response = await call(app, 'GET', `/demos?${query}`);
      expect(response.statusCode).toBe(status);
      expect(response.json().error.code).toBe('invalid');
    });
  });

  it('answers 404 for a collection that is not one of the six, on every method', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
      const url = method === 'GET' || method === 'POST' ? '/widgets' : '/widgets/w1';
      const response = await call(
        app,
        method,
        url,
        method === 'GET' || method === 'DELETE' ? undefined : {},
      );
      expect(response.statusCode, method).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });
});

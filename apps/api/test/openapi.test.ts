import { describe, expect, it } from 'vitest';
import { call, startApi } from './support/api';

describe('/openapi.json', () => {
  it('describes every route with its schemas and error answers', async () => {
    const app = await startApi({ DATABASE_PROVIDER: 'memory' });
    try {
      const response = await call(app, 'GET', '/openapi.json');
      expect(response.statusCode).toBe(200);
      const document = response.json();
      expect(document.openapi).toBe('3.1.0');
      const paths = Object.keys(document.paths);
      for (const collection of ['agents', 'deployments', 'users', 'sessions', 'tickets', 'demos']) {
        expect(paths).toContain(`/${collection}`);
        expect(paths).toContain(`/${collection}/{id}`);
        expect(Object.keys(document.paths[`/${collection}/{id}`]).sort()).toEqual([
          'delete',
          'get',
          'put',
        ]);
      }
      expect(paths).toEqual(
        expect.arrayContaining(['/agents/{id}/deploy', '/users/{id}/usage', '/health']),
      );
      expect(paths).not.toContain('/openapi.json');
      const create = document.paths['/users'].post;
      expect(create.requestBody.content['application/json'].schema.required).toEqual(
        expect.arrayContaining(['_id', 'basic_info', 'usage_info']),
      );
      expect(Object.keys(create.responses)).toEqual(
        expect.arrayContaining(['201', '400', '409', '503']),
      );
      const listTickets = document.paths['/tickets'].get;
      const parameters = Object.fromEntries(
        listTickets.parameters.map((p: { name: string; in: string; schema: object }) => [
          p.name,
          { in: p.in, schema: p.schema },
        ]),
      );
      expect(Object.keys(parameters).sort()).toEqual(['cursor', 'limit', 'sort', 'status']);
      expect(parameters.status).toMatchObject({
        in: 'query',
        schema: { enum: ['pending', 'processing', 'completed', 'failed'] },
      });
      expect(parameters.sort.schema.enum).toEqual(
        expect.arrayContaining(['created_at', '-created_at']),
      );
      expect(
        document.paths['/sessions'].get.parameters.map((p: { name: string }) => p.name),
      ).toEqual(expect.arrayContaining(['user_id', 'agent_id']));
      expect(document.components.securitySchemes).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('declares bearer auth when the API has a token', async () => {
    const token = 'openapi-test-token-0123';
    const app = await startApi({ DATABASE_PROVIDER: 'memory' }, { apiToken: token });
    try {
      const response = await call(app, 'GET', '/openapi.json', undefined, {
        authorization: `Bearer ${token}`,
      });
      const document = response.json();
      expect(document.components.securitySchemes.bearer).toEqual({
        type: 'http',
        scheme: 'bearer',
      });
      expect(document.security).toEqual([{ bearer: [] }]);
      expect(document.paths['/health'].get.security).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

import type { FastifyInstance } from 'fastify';

const healthSchema = {
  type: 'object',
  required: ['status', 'provider'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    provider: { type: 'string' },
  },
} as const;

/** `GET /health`: whether the database answers, for probes; open without a token. */
export function registerHealth(app: FastifyInstance): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Whether the API and its database are up',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (request, reply) => {
      try {
        await app.db.ping();
        return { status: 'ok', provider: app.provider };
      } catch (error) {
        request.log.warn({ err: error }, 'health check failed');
        return reply
          .code(503)
          .header('retry-after', '1')
          .send({ status: 'unavailable', provider: app.provider });
      }
    },
  );
}

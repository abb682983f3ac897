import type { FastifyInstance } from 'fastify';
import { MESSAGE_ROLES } from '../collections/definitions';
import { text } from '../collections/field-schemas';
import { errorResponses, idParamsSchema } from '../collections/http-schemas';
import { now } from '../http/clock';
import { entityTag } from '../http/entity-tags';

/** Appends a message to a session; concurrent appends all land, in some order. */
export function registerSessionMessages(app: FastifyInstance): void {
  app.post<{ Params: { id: string }; Body: { role: string; content: string } }>(
    '/sessions/:id/messages',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Append a message to a session',
        params: idParamsSchema,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['role', 'content'],
          properties: { role: { type: 'string', enum: MESSAGE_ROLES }, content: text },
        },
        response: {
          201: {
            type: 'object',
            required: ['message', 'message_count'],
            properties: {
              message: { type: 'object', additionalProperties: true },
              message_count: { type: 'integer' },
            },
          },
          ...errorResponses(400, 404, 409, 413, 503),
        },
      },
    },
    async (request, reply) => {
      const message = { ...request.body, timestamp: now() };
      const saved = await app.updater.update('sessions', request.params.id, (session) => {
        const messages = Array.isArray(session.messages) ? session.messages : [];
        return { ...session, messages: [...messages, message], updated_at: now() };
      });
      return reply
        .code(201)
        .header('etag', entityTag(saved._rev))
        .send({ message, message_count: (saved.messages as unknown[]).length });
    },
  );
}

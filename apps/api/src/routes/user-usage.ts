import type { FastifyInstance } from 'fastify';
import { amount, reference } from '../collections/field-schemas';
import { errorResponses, idParamsSchema } from '../collections/http-schemas';
import { ApiError } from '../http/api-error';
import { now } from '../http/clock';
import { entityTag } from '../http/entity-tags';
import { subtractUnits, toUnits } from '../http/money';

interface UsageBody {
  response_cost: number;
  agent_id?: string;
  session_id?: string;
}

/**
 * Records one charge on a user: appends it to `usage_info.usage` and lowers
 * `spend_remaining` in the same compare-and-set write, so concurrent charges are never lost
 * and the remaining amount is always the allowance minus exactly the recorded charges.
 */
export function registerUserUsage(app: FastifyInstance): void {
  app.post<{ Params: { id: string }; Body: UsageBody }>(
    '/users/:id/usage',
    {
      schema: {
        tags: ['users'],
        summary: 'Record a charge on a user',
        params: idParamsSchema,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['response_cost'],
          properties: {
            response_cost: { ...amount, minimum: 0 },
            agent_id: reference,
            session_id: reference,
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['record', 'spend_remaining', 'usage_count'],
            properties: {
              record: { type: 'object', additionalProperties: true },
              spend_remaining: { type: 'number' },
              usage_count: { type: 'integer' },
            },
          },
          ...errorResponses(400, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      // Refused before anything is read: a charge finer than the unit kept is 400.
      const charge = toUnits(request.body.response_cost, 'response_cost');
      const record = { timestamp: now(), ...request.body };
      const saved = await app.updater.update('users', id, (user) => {
        const info = user.usage_info;
        if (typeof info !== 'object' || info === null || Array.isArray(info)) {
          throw new ApiError(409, 'conflict', `users/${id} has no usage_info to charge`);
        }
        const remaining = typeof info.spend_remaining === 'number' ? info.spend_remaining : 0;
        const usage = Array.isArray(info.usage) ? info.usage : [];
        return {
          ...user,
          usage_info: {
            ...info,
            usage: [...usage, record],
            spend_remaining: subtractUnits(remaining, charge),
          },
          updated_at: now(),
        };
      });
      const info = saved.usage_info as { spend_remaining: number; usage: unknown[] };
      return reply
        .code(201)
        .header('etag', entityTag(saved._rev))
        .send({ record, spend_remaining: info.spend_remaining, usage_count: info.usage.length });
    },
  );
}

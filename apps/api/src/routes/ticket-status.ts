import type { FastifyInstance } from 'fastify';
import { TICKET_STATUSES, type TicketStatus } from '../collections/definitions';
import { errorResponses, idParamsSchema } from '../collections/http-schemas';
import { ApiError } from '../http/api-error';
import { now } from '../http/clock';
import { entityTag } from '../http/entity-tags';

/** Where a ticket may go from each status; completed and failed are final. */
const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
  pending: ['processing', 'completed', 'failed'],
  processing: ['completed', 'failed'],
  completed: [],
  failed: [],
};

/**
 * The moves from a stored status. The status was written by whoever wrote the ticket (another
 * client, an import), so it may be anything: only the table's own keys count, never a name
 * an object inherits such as `constructor` or `__proto__`.
 */
function nextStatuses(from: unknown): readonly TicketStatus[] {
  return typeof from === 'string' && Object.hasOwn(NEXT_STATUSES, from)
    ? NEXT_STATUSES[from as TicketStatus]
    : [];
}

interface StatusBody {
  status: TicketStatus;
  result?: Record<string, unknown>;
  error?: string | Record<string, unknown>;
}

/**
 * Moves a ticket along its life cycle. The move is checked against the status it is made
 * from, inside a compare-and-set write, so two workers cannot both complete one ticket.
 */
export function registerTicketStatus(app: FastifyInstance): void {
  app.post<{ Params: { id: string }; Body: StatusBody }>(
    '/tickets/:id/status',
    {
      schema: {
        tags: ['tickets'],
        summary: "Change a ticket's status",
        description:
          'pending -> processing -> completed | failed (pending may also end directly). `result` goes with completed and gets completed_at; `error` goes with failed. 409 for any other move.',
        params: idParamsSchema,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['status'],
          properties: {
            status: { type: 'string', enum: TICKET_STATUSES },
            result: { type: 'object', additionalProperties: true },
            error: { type: ['string', 'object'] },
          },
        },
        response: {
          200: { type: 'object', additionalProperties: true, required: ['_id', '_rev', 'status'] },
          ...errorResponses(400, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { status, result, error } = request.body;
      if (result !== undefined && status !== 'completed') {
        throw new ApiError(400, 'invalid', 'result goes only with status completed');
      }
      if (error !== undefined && status !== 'failed') {
        throw new ApiError(400, 'invalid', 'error goes only with status failed');
      }
      const saved = await app.updater.update('tickets', id, (ticket) => {
        const from = ticket.status;
        if (!nextStatuses(from).includes(status)) {
          throw new ApiError(
            409,
            'conflict',
            `tickets/${id} cannot go from ${JSON.stringify(from) ?? 'no status'} to ${status}`,
          );
        }
        const time = now();
        return {
          ...ticket,
          status,
          ...(status === 'completed' ? { result: { ...result, completed_at: time } } : {}),
          ...(status === 'failed' ? { error: error ?? null } : {}),
          updated_at: time,
        };
      });
      return reply.header('etag', entityTag(saved._rev)).send(saved);
    },
  );
}

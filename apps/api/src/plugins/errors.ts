import { isDatabaseError } from '@gofannon/db-core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';

/** Every error answer has this body: a stable code, a message for people, the request id. */
export interface ErrorBody {
  error: { code: string; message: string; collection?: string; id?: string };
  requestId: string;
}

/** Fastify's own errors that are the client's fault, by the codes Fastify gives them. */
const CLIENT_ERROR_CODES: Record<number, string> = {
  400: 'invalid',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/**
 * One place that turns every failure into an answer: database errors keep the status and
 * code of the contract, request-validation errors are 400, and anything unexpected is a
 * 500 whose body says nothing about the inside (the log has the whole error).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseError(error)) {
      if (error.status >= 500) request.log.warn({ err: error }, 'database failure');
      if (error.status === 503) void reply.header('retry-after', '1');
      return send(reply, request, error.status, {
        code: error.code,
        message: error.message,
        collection: error.collection,
        id: error.id,
      });
    }
    if (error instanceof ApiError) {
      return send(reply, request, error.status, { code: error.code, message: error.message });
    }
    if (error.validation) {
      return send(reply, request, 400, { code: 'invalid', message: error.message });
    }
    const status = error.statusCode ?? 500;
    const code = CLIENT_ERROR_CODES[status];
    if (code) return send(reply, request, status, { code, message: error.message });
    request.log.error({ err: error }, 'unexpected failure');
    return send(reply, request, 500, { code: 'internal', message: 'Internal error' });
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, {
      code: 'not_found',
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  error: ErrorBody['error'],
): FastifyReply {
  const body: ErrorBody = { error: stripUndefined(error), requestId: request.id };
  return reply.status(status).type('application/json').send(body);
}

function stripUndefined(error: ErrorBody['error']): ErrorBody['error'] {
  return Object.fromEntries(
    Object.entries(error).filter(([, value]) => value !== undefined),
  ) as ErrorBody['error'];
}

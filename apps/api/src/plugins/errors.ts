import { STATUS_CODES } from 'node:http';
import { isDatabaseError } from '@gofannon/db-core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import type { BearerGuard } from './bearer-auth';

/** Every error answer has this body: a stable code, a message for people, the request id. */
export interface ErrorBody {
  error: { code: string; message: string; collection?: string; id?: string };
  requestId: string;
}

/** Codes of the client errors the API names itself; any other 4xx is named by its status. */
const CLIENT_ERROR_CODES: Record<number, string> = {
  400: 'invalid',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/** What a 500 or 503 says: the detail (table, role, column names) goes to the log only. */
const SERVER_ERROR_MESSAGES: Record<number, string> = {
  500: 'Internal error',
  503: 'The database is unavailable; try again shortly',
};

/**
 * One place that turns every failure into an answer: database errors keep the status and
 * code of the contract, request-validation errors are 400, and anything unexpected is a
 * 500. A 5xx body says nothing about the inside; the log has the whole error, with the
 * request id the body carries.
 */
export function registerErrorHandling(app: FastifyInstance, guard?: BearerGuard): void {
  app.setErrorHandler((error: FastifyError, request, reply) => answerError(error, request, reply));
  // With a token, a client must show it before learning that a route does not exist.
  app.setNotFoundHandler(
    {
      preHandler: async (request: FastifyRequest, reply: FastifyReply) =>
        guard?.check(request, reply),
    },
    (request, reply) =>
      send(reply, request, 404, {
        code: 'not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
      }),
  );
}

/** The answer to any error, thrown by a route, a hook, a plugin or Fastify's router. */
export function answerError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isDatabaseError(error)) {
    if (error.status >= 500) {
      request.log.warn({ err: error }, 'database failure');
      if (error.status === 503) void reply.header('retry-after', '1');
      return send(reply, request, error.status, {
        code: error.code,
        message: SERVER_ERROR_MESSAGES[error.status] ?? 'Internal error',
        collection: error.collection,
        id: error.id,
      });
    }
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
  if (status >= 400 && status < 500) {
    return send(reply, request, status, { code: clientErrorCode(status), message: error.message });
  }
  request.log.error({ err: error }, 'unexpected failure');
  return send(reply, request, 500, { code: 'internal', message: 'Internal error' });
}

/** `invalid`, `not_found`, ... for the API's own; else the status's name, such as `forbidden`. */
function clientErrorCode(status: number): string {
  return (
    CLIENT_ERROR_CODES[status] ??
    (STATUS_CODES[status] ?? 'client_error').toLowerCase().replace(/[^a-z]+/g, '_')
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

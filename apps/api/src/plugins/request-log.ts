import {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { batchedStdout, type LogDestination } from './log-output';

/**
 * The Fastify options of the API's request log: pino at `level`, one line per request
 * ({@link OneLinePerRequest}), to stdout unless `destination` is given (the lines of an
 * event-loop turn in one write: {@link batchedStdout}). One function, so that the bench's
 * baseline with "the API's request log" logs exactly as the API does.
 */
export function requestLogOptions(
  level: string,
  destination: LogDestination = batchedStdout(),
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return {
    logger: { level, stream: destination },
    logController: new OneLinePerRequest(),
  };
}

/**
 * One log line per request, when its answer has gone: the request (method, URL, host,
 * remote address), the status and the time taken, with the request's id (and trace ids,
 * while tracing is on). Fastify's own controller writes two lines per request, "incoming
 * request" and "request completed"; each is a JSON serialisation and a write, and the first
 * tells nothing the second does not, except for a request that never completes: that one
 * gets its line from {@link logAbortedRequests}. Fastify's other lines (errors, routes not
 * found) are unchanged.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** A line for each request whose connection closed before its answer. */
export function logAbortedRequests(app: FastifyInstance): void {
  app.addHook('onRequestAbort', (request, done) => {
    request.log.info({ req: request }, 'request aborted');
    done();
  });
}

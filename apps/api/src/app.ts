import { randomUUID } from 'node:crypto';
import { type DatabaseService, GOFANNON_COLLECTIONS } from '@gofannon/db-core';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import './fastify-types';
import { collectionDefinition } from './collections/definitions';
import { type ApiConfig, DEFAULT_REQUEST_TIMEOUT_MS } from './config';
import { DocumentUpdater } from './http/document-updater';
import { ExpiredPurger } from './http/expired-purger';
import { BearerGuard, requireBearerToken } from './plugins/bearer-auth';
import { answerError, registerErrorHandling } from './plugins/errors';
import { registerOpenApi, registerOpenApiRoutes } from './plugins/openapi';
import { ensureQueryIndexes } from './plugins/query-indexes';
import { logAbortedRequests, requestLogOptions } from './plugins/request-log';
import { endStalledRequestsOnClose } from './plugins/stalled-requests';
import { useStrictBodyValidation } from './plugins/validator-compiler';
import {
  registerAgentDeployments,
  removeDeploymentsOf,
  withAgentNames,
} from './routes/agent-deployments';
import { type CollectionHooks, registerCollectionRoutes } from './routes/collection-routes';
import { registerHealth } from './routes/health';
import { registerMetrics } from './routes/metrics';
import { registerSessionMessages } from './routes/session-messages';
import { registerTicketStatus } from './routes/ticket-status';
import { registerUserUsage } from './routes/user-usage';
import { type ProcessMetrics, processMetrics } from './telemetry/process-metrics';
import { measureRequests, traceRequests, tracingRegistered } from './telemetry/request-telemetry';

export interface AppOptions {
  /** The database service; the app owns it from now on and closes it when it closes. */
  db: DatabaseService;
  /** The provider name `db` came from, reported by `/health`. */
  provider: string;
  config: Pick<ApiConfig, 'apiToken' | 'bodyLimit' | 'logLevel'> &
    Partial<Pick<ApiConfig, 'requestTimeoutMs' | 'purgeIntervalMs'>>;
  /** What `GET /metrics` reads; the process's own provider by default (see `processMetrics`). */
  metrics?: ProcessMetrics;
  /**
   * Whether requests get spans and their log lines trace ids; by default, whether an
   * OpenTelemetry SDK's tracer provider was registered before the app was built.
   */
  tracing?: boolean;
  /**
   * Whether the indexes of the API's query patterns are made in the background at start-up
   * (default true; `app.queryIndexes` settles when they are). Off where indexes are made
   * another way, or in tests that must not race their writes with index builds.
   */
  queryIndexes?: boolean;
}

/** Room for the longest id the contract allows (512 bytes), percent-encoded. */
const MAX_PARAM_LENGTH = 3 * 512;

/** An incoming X-Request-Id is kept when it is short and plain, so it cannot forge log lines. */
const REQUEST_ID = /^[\w.:-]{1,64}$/;

const HOOKS: Partial<Record<string, CollectionHooks>> = {
  agents: { afterDelete: (app, id) => removeDeploymentsOf(app, id).then(() => undefined) },
  deployments: { decorateList: withAgentNames },
};

/** Builds the API, ready to `listen` or to `inject` requests into. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const guard = config.apiToken === undefined ? undefined : new BearerGuard(config.apiToken);
  const requestTimeout = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    ...requestLogOptions(config.logLevel),
    bodyLimit: config.bodyLimit,
    requestTimeout,
    http: {
      requestTimeout,
      // Node enforces the request time only when the headers' own limit is not longer.
      headersTimeout: requestTimeout,
      // How often Node looks for requests past their time (30 s by default).
      connectionsCheckingInterval: Math.min(1000, requestTimeout),
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // A URL the router cannot take: answered like any other error, after the token check.
    frameworkErrors: (error, request, reply) => {
      void reply.header('x-request-id', request.id);
      try {
        guard?.check(request, reply);
      } catch (refusal) {
        return answerError(refusal as FastifyError, request, reply);
      }
      return answerError(routerError(error), request, reply);
    },
  });
  const metrics = options.metrics ?? processMetrics();
  if (options.tracing ?? tracingRegistered()) await traceRequests(app);
  measureRequests(app, metrics);
  logAbortedRequests(app);
  app.decorate('db', options.db);
  app.decorate('provider', options.provider);
  app.decorate('updater', new DocumentUpdater(options.db));
  const purger = new ExpiredPurger(options.db, app.log);
  app.decorate('purger', purger);
  if ((config.purgeIntervalMs ?? 0) > 0) purger.start(config.purgeIntervalMs as number);
  // The purge stops before the database closes under it.
  app.addHook('onClose', async () => {
    await purger.stop();
    await options.db.close();
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  endStalledRequestsOnClose(app, requestTimeout);

  // Bodies are JSON; Fastify's built-in text/plain parser would let text reach the schemas as a string.
  app.removeContentTypeParser('text/plain');
  useStrictBodyValidation(app);
  registerErrorHandling(app, guard);
  await registerOpenApi(app, guard !== undefined);

  registerHealth(app);
  // Everything else needs the token, when there is one.
  await app.register(async (guarded) => {
    if (guard) requireBearerToken(guarded, guard);
    await registerOpenApiRoutes(guarded);
    registerMetrics(guarded, metrics);
    for (const name of GOFANNON_COLLECTIONS) {
      registerCollectionRoutes(guarded, collectionDefinition(name), HOOKS[name]);
    }
    registerAgentDeployments(guarded);
    registerUserUsage(guarded);
    registerSessionMessages(guarded);
    registerTicketStatus(guarded);
  });
  if (options.queryIndexes ?? true) ensureQueryIndexes(app);
  else app.decorate('queryIndexes', Promise.resolve());
  return app;
}

/** The router's refusals, with messages that do not repeat the whole URL back. */
function routerError(error: FastifyError): FastifyError {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path segment is longer than any id can be (512 UTF-8 bytes, percent-encoded)'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The URL is not valid percent-encoded UTF-8'
        : error.message;
  return Object.assign(new Error(message), { code: error.code, statusCode: error.statusCode });
}

import { randomUUID } from 'node:crypto';
import { type DatabaseService, GOFANNON_COLLECTIONS } from '@gofannon/db-core';
import Fastify, { type FastifyInstance } from 'fastify';
import './fastify-types';
import { collectionDefinition } from './collections/definitions';
import type { ApiConfig } from './config';
import { DocumentUpdater } from './http/document-updater';
import { requireBearerToken } from './plugins/bearer-auth';
import { registerErrorHandling } from './plugins/errors';
import { registerOpenApi } from './plugins/openapi';
import { ensureQueryIndexes } from './plugins/query-indexes';
import { useStrictBodyValidation } from './plugins/validator-compiler';
import {
  registerAgentDeployments,
  removeDeploymentsOf,
  withAgentNames,
} from './routes/agent-deployments';
import { type CollectionHooks, registerCollectionRoutes } from './routes/collection-routes';
import { registerHealth } from './routes/health';
import { registerSessionMessages } from './routes/session-messages';
import { registerTicketStatus } from './routes/ticket-status';
import { registerUserUsage } from './routes/user-usage';

export interface AppOptions {
  /** The database service; the app owns it from now on and closes it when it closes. */
  db: DatabaseService;
  /** The provider name `db` came from, reported by `/health`. */
  provider: string;
  config: Pick<ApiConfig, 'apiToken' | 'bodyLimit' | 'logLevel'>;
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
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.decorate('db', options.db);
  app.decorate('provider', options.provider);
  app.decorate('updater', new DocumentUpdater(options.db));
  app.addHook('onClose', () => options.db.close());
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  // Bodies are JSON; Fastify's built-in text/plain parser would let text reach the schemas as a string.
  app.removeContentTypeParser('text/plain');
  useStrictBodyValidation(app);
  registerErrorHandling(app);
  if (config.apiToken !== undefined) requireBearerToken(app, config.apiToken);
  await registerOpenApi(app, config.apiToken !== undefined);

  registerHealth(app);
  for (const name of GOFANNON_COLLECTIONS) {
    registerCollectionRoutes(app, collectionDefinition(name), HOOKS[name]);
  }
  registerAgentDeployments(app);
  registerUserUsage(app);
  registerSessionMessages(app);
  registerTicketStatus(app);
  ensureQueryIndexes(app);
  return app;
}

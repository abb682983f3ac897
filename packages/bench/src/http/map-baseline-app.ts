import {
  BearerGuard,
  type LogDestination,
  requestLogOptions,
  requireBearerToken,
} from '@gofannon/api';
import Fastify, { type FastifyInstance } from 'fastify';
import { seedDocuments } from './seed-documents';

type Doc = Record<string, unknown>;

/**
 * Features of the API the baseline can be given, each exactly as the API has it, to say
 * what they cost on their own (the goal keeps them on in the API).
 */
export interface BaselineFeatures {
  /** The API's request log at level `info`: one line per request, to stdout or here. */
  requestLog?: { destination?: LogDestination };
  /** The API's bearer token check on every route. */
  bearerToken?: string;
}

/**
 * The baseline of the HTTP bench: bare Fastify routes doing the mix's work on a `Map`, with
 * no schemas, no revisions and no database layer; what the API is compared against.
 */
export function buildMapBaselineApp(features: BaselineFeatures = {}): FastifyInstance {
  const store = new Map<string, Doc>();
  for (const { collection, id, doc } of seedDocuments())
    store.set(`${collection}/${id}`, structuredClone(doc) as Doc);
  const app = Fastify(
    features.requestLog
      ? requestLogOptions('info', features.requestLog.destination)
      : { logger: false },
  );
  if (features.bearerToken !== undefined) {
    requireBearerToken(app, new BearerGuard(features.bearerToken));
  }

  app.get<{ Params: { id: string } }>('/agents/:id', async (request, reply) => {
    const doc = store.get(`agents/${request.params.id}`);
    return doc ? { ...doc, _id: request.params.id } : reply.code(404).send({});
  });
  app.get<{ Querystring: { limit?: string } }>('/agents', async (request) => {
    const limit = Number(request.query.limit ?? 100);
    const documents: Doc[] = [];
    for (const [key, doc] of store) {
      if (documents.length === limit) break;
      if (key.startsWith('agents/')) documents.push({ ...doc, _id: key.slice(7) });
    }
    return { documents, nextCursor: null };
  });
  app.put<{ Params: { id: string }; Body: Doc }>('/demos/:id', async (request) => {
    const doc = { ...request.body, updated_at: new Date().toISOString() };
    store.set(`demos/${request.params.id}`, doc);
    return { ...doc, _id: request.params.id };
  });
  app.post<{ Params: { id: string }; Body: { response_cost: number } }>(
    '/users/:id/usage',
    async (request, reply) => {
      const user = store.get(`users/${request.params.id}`);
      if (!user) return reply.code(404).send({});
      const info = user.usage_info as { spend_remaining: number; usage: unknown[] };
      const record = { timestamp: new Date().toISOString(), ...request.body };
      info.usage.push(record);
      info.spend_remaining -= request.body.response_cost;
      return reply.code(201).send({ record, spend_remaining: info.spend_remaining });
    },
  );
  return app;
}

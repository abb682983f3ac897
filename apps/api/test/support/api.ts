import { createDatabaseService } from '@gofannon/db-core';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type AppOptions, buildApp } from '../../src';

/** Settings of an API under test: no token, a 1 MiB body limit, no log lines. */
export const QUIET: AppOptions['config'] = {
  apiToken: undefined,
  bodyLimit: 1024 * 1024,
  logLevel: 'silent',
};

/** The API on these provider settings, with a silent log; inject requests into it. */
export async function startApi(
  env: Record<string, string>,
  config: Partial<AppOptions['config']> = {},
): Promise<FastifyInstance> {
  const db = await createDatabaseService({ env });
  return buildApp({
    db,
    provider: env.DATABASE_PROVIDER ?? 'memory',
    config: { ...QUIET, ...config },
  });
}

/** Sends a JSON request; the body, when given, is sent as JSON. */
export function call(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

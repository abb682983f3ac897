import { createDatabaseService } from '@gofannon/db-core';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type AppOptions, buildApp } from '../../src';

/** Settings of an API under test: no token, a 1 MiB body limit, no log lines. */
export const QUIET: AppOptions['config'] = {
  apiToken: undefined,
  bodyLimit: 1024 * 1024,
  logLevel: 'silent',
};

/**
 * The API on these provider settings, with a silent log; inject requests into it. Its
 * start-up index builds are left out where they could fail the test's writes by chance
 * (see `buildsIndexesSafely`), unless `options` says otherwise.
 */
export async function startApi(
  env: Record<string, string>,
  config: Partial<AppOptions['config']> = {},
  options: Pick<AppOptions, 'queryIndexes'> = {},
): Promise<FastifyInstance> {
  const db = await createDatabaseService({ env });
  const provider = env.DATABASE_PROVIDER ?? 'memory';
  return buildApp({
    db,
    provider,
    config: { ...QUIET, ...config },
    queryIndexes: buildsIndexesSafely(provider),
    ...options,
  });
}

/**
 * Whether a test that does not look at queries should leave out the start-up index builds:
 * DynamoDB Local answers some writes with 500 while it builds a global secondary index
 * (AWS does not), which would make such a test fail by chance.
 */
export function buildsIndexesSafely(provider: string): boolean {
  return provider !== 'dynamodb';
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

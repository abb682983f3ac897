import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/api-error';

/** Routes anyone may call: the health check, for load balancers and probes. */
const PUBLIC_PATHS = new Set(['/health']);

/**
 * Every route but `/health` needs `Authorization: Bearer <token>`. Both sides are hashed
 * first so the comparison takes the same time whatever the length or content of the guess.
 */
export function requireBearerToken(app: FastifyInstance, token: string): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request, reply) => {
    if (PUBLIC_PATHS.has(request.url.split('?')[0] as string)) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1] as string), expected)) return;
    void reply.header('www-authenticate', 'Bearer realm="gofannon"');
    throw new ApiError(
      401,
      'unauthorized',
      match
        ? 'The bearer token is wrong'
        : 'This API needs an Authorization: Bearer <token> header',
    );
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

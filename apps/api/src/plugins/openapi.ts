import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI document, built from the schemas of every route registered after this, on
 * the root instance so that it sees them all. With a token the document declares bearer
 * auth, so the UI's Authorize button sends it.
 */
export async function registerOpenApi(app: FastifyInstance, secured: boolean): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gofannon API',
        description:
          'The Gofannon collections over one Gofannon DB provider. Revisions are ETags: send one back in If-Match to update only what you read.',
        version: '0.0.0',
      },
      ...(secured
        ? {
            components: {
              securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
            },
            security: [{ bearer: [] }],
          }
        : {}),
    },
  });
}

/** The document at `/openapi.json` and a Swagger UI at `/docs`, in the guarded routes. */
export async function registerOpenApiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

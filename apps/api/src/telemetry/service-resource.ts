import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';

/** What the API's spans and metrics say they come from: `OTEL_SERVICE_NAME`, else gofannon-api. */
export function serviceResource(env: Readonly<Record<string, string | undefined>>): Resource {
  return resourceFromAttributes({
    'service.name': env.OTEL_SERVICE_NAME?.trim() || 'gofannon-api',
  });
}

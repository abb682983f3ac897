import { createRequire } from 'node:module';
import type * as OpenTelemetryApi from '@opentelemetry/api';

export type OtelApi = typeof OpenTelemetryApi;

/**
 * `@opentelemetry/api` when the application installed it, else `undefined`: it is an
 * optional peer dependency, so a service without it records nothing and loads nothing.
 * Loaded with `require` in both builds: the API keeps its registrations on one global, so
 * the copy loaded here sees the SDK an application registered through an `import` of its own.
 */
export function loadOtelApi(): OtelApi | undefined {
  try {
    // `__filename` in the CommonJS build, `import.meta.url` in the ES module one (a bundler's
    // `require` shim in ESM output throws for every dynamic name, so it is not used).
    const from = typeof __filename === 'string' ? __filename : import.meta.url;
    return createRequire(from)('@opentelemetry/api') as OtelApi;
  } catch {
    return undefined;
  }
}

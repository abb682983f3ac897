import FastifyOtelInstrumentation from '@fastify/otel';
import { isSpanContextValid, ProxyTracer, trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { ProcessMetrics } from './process-metrics';

/** Whether an OpenTelemetry SDK's tracer provider is registered (else tracing stays off). */
export function tracingRegistered(): boolean {
  return !(trace.getTracer('@gofannon/api') instanceof ProxyTracer);
}

/**
 * Every answer counted and timed in `http.server.request.duration` (by method, route and
 * status code, OpenTelemetry's HTTP conventions), read through `/metrics`.
 */
export function measureRequests(app: FastifyInstance, metrics: ProcessMetrics): void {
  const durations = metrics.requestDurations;
  app.addHook('onResponse', (request, reply, done) => {
    durations.record(
      request.method,
      // The route's pattern, never the URL: ids stay out of the labels.
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}

/**
 * A span per request through Fastify's own OpenTelemetry instrumentation (a child of the
 * caller's trace when it sends `traceparent`), the database calls nested under it, and the
 * request's log lines carrying its `trace_id` and `span_id`. Only while tracing is on: the
 * instrumentation wraps every hook, which costs requests time that nobody reads.
 */
export async function traceRequests(app: FastifyInstance): Promise<void> {
  // Request and handler spans; a span per lifecycle hook would say little and cost much.
  const instrumentation = new FastifyOtelInstrumentation({ instrumentHooks: false });
  await app.register(instrumentation.plugin());
  app.addHook('onRequest', (request, reply, done) => {
    const span = request.opentelemetry().span;
    const spanContext = span?.spanContext();
    if (spanContext !== undefined && isSpanContextValid(spanContext)) {
      const log = request.log.child({
        trace_id: spanContext.traceId,
        span_id: spanContext.spanId,
      });
      request.log = log;
      reply.log = log;
    }
    done();
  });
}

import type { FastifyInstance } from 'fastify';
import type { ProcessMetrics } from '../telemetry/process-metrics';

/** Prometheus' text exposition format, the version every scraper reads. */
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /metrics`: the API's route latencies and status codes and the database library's
 * metrics (call durations, errors by code, pool sizes), in Prometheus' text format.
 */
export function registerMetrics(app: FastifyInstance, metrics: ProcessMetrics): void {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Metrics in Prometheus text format',
        description:
          'http.server.request.duration by method, route and status code; db.client.operation.duration and gofannon.db.client.errors by operation, collection and error code; pool gauges where the provider has a pool.',
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => reply.type(PROMETHEUS_TEXT).send(await metrics.prometheusText()),
  );
}

import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { RequestDurations } from './request-durations';
import { serviceResource } from './service-resource';

/** The metrics of this process, read for `GET /metrics`. */
export interface ProcessMetrics {
  /** The API's `http.server.request.duration`, aggregated by the API itself. */
  readonly requestDurations: RequestDurations;
  /** Every metric now, in Prometheus' text format. */
  prometheusText(): Promise<string>;
  /** Whether the database library's metrics are in it (no other global provider was there first). */
  readonly includesLibrary: boolean;
}

let shared: ProcessMetrics | undefined;

/**
 * The process's meter provider, read on demand in Prometheus' text format: made once and
 * registered as OpenTelemetry's global provider, so the database library's metrics land in
 * it too. Nothing listens on a port of its own and nothing is pushed anywhere: `/metrics`
 * reads it. Where the application registered a global provider of its own first, that one
 * keeps the library's metrics and this one holds the API's.
 */
export function processMetrics(): ProcessMetrics {
  if (shared !== undefined) return shared;
  const requestDurations = new RequestDurations();
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    metricProducers: [requestDurations],
  });
  const meterProvider = new MeterProvider({
    readers: [exporter],
    resource: serviceResource(process.env),
  });
  const includesLibrary = metrics.setGlobalMeterProvider(meterProvider);
  const serializer = new PrometheusSerializer();
  shared = {
    requestDurations,
    includesLibrary,
    prometheusText: async () => {
      const { resourceMetrics, errors } = await exporter.collect();
      if (errors.length > 0) throw errors[0];
      return serializer.serialize(resourceMetrics);
    },
  };
  return shared;
}

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { serviceResource } from './service-resource';

/** Stops tracing: sends the spans still buffered, then lets go. */
export type StopTracing = () => Promise<void>;

/**
 * Turns tracing on when the operator names an OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`
 * or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, OpenTelemetry's own variables, as its exporter
 * reads them) and has not set `OTEL_SDK_DISABLED=true`: spans go there over OTLP/HTTP in
 * batches. Without an endpoint nothing is registered and nothing is sent anywhere.
 * Returns how to stop it, or `undefined` when it stays off.
 */
export function startTracing(
  env: Readonly<Record<string, string | undefined>>,
): StopTracing | undefined {
  const endpoint =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim() === 'true') return undefined;
  const provider = new NodeTracerProvider({
    resource: serviceResource(env),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The async context manager (spans nest across awaits) and W3C trace context propagation.
  provider.register();
  return () => provider.shutdown();
}

import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A metric data point as a test reads it. */
export interface MetricPoint {
  name: string;
  attributes: Record<string, unknown>;
  /** A counter's or gauge's value; a histogram's count of recordings. */
  value: number;
  /** A histogram's sum of recordings. */
  sum?: number;
}

/** The OpenTelemetry SDK registered for one test file, with in-memory exporters. */
export interface TestTelemetry {
  /** Spans ended since the last `reset`. */
  spans(): ReadableSpan[];
  /** Every metric data point now (cumulative since the SDK was registered). */
  collect(): Promise<MetricPoint[]>;
  /** Forgets the spans ended so far. */
  reset(): void;
  /** Unregisters the SDK: the API is a no-op again. */
  uninstall(): Promise<void>;
}

/** Collects on demand, as a test asks: no timer, no export. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * Registers a tracer provider (spans kept in memory), a meter provider read on demand and
 * the async context manager that a Node application's SDK registers, globally, as an
 * application would. Call `uninstall` after the tests.
 */
export function installTestTelemetry(): TestTelemetry {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => spans.getFinishedSpans(),
    reset: () => spans.reset(),
    collect: async () => {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((scope) =>
        scope.metrics.flatMap((metric) =>
          (metric.dataPoints as Array<DataPoint<number | Histogram>>).map((point) => ({
            name: metric.descriptor.name,
            attributes: { ...point.attributes },
            ...(typeof point.value === 'number'
              ? { value: point.value }
              : { value: point.value.count, sum: point.value.sum }),
          })),
        ),
      );
    },
    uninstall: async () => {
      trace.disable();
      metrics.disable();
      context.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

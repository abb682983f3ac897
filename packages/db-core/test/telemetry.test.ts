import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RETRY, retry } from '../src/adapter';
import { ScriptedService } from './support/scripted-service';

class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * Registers the SDK globally, as an application does; `afterEach` takes it away again.
 * `tracing: false`: metrics only, as an application that reads metrics and keeps no traces.
 */
function registerSdk({ tracing = true }: { tracing?: boolean } = {}) {
  const spans = new InMemorySpanExporter();
  const reader = new OnDemandReader();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (tracing) {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
  }
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  const points = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) => metric.dataPoints as Array<DataPoint<number>>);
  };
  return { spans, points };
}

afterEach(() => {
  trace.disable();
  metrics.disable();
  context.disable();
});

const stored = { _id: 'a', _rev: '1-x' };

describe('telemetry', () => {
  it('records nothing while no SDK is registered, and picks one up when it is', async () => {
    const get = vi.fn(async () => stored);
    const service = new ScriptedService({ get });
    // Nothing registered: the call runs as it always did.
    await expect(service.get('things', 'a')).resolves.toEqual(stored);
    const { spans } = registerSdk();
    await service.get('things', 'a');
    expect(spans.getFinishedSpans().map((span) => span.name)).toEqual(['get things']);
    expect(spans.getFinishedSpans()[0]?.attributes).toMatchObject({
      'db.system.name': 'gofannon.scripted',
      'gofannon.db.requests': 1,
      'gofannon.db.retries': 0,
    });
  });

  it("counts the kit's retries on the span, one event per retry", async () => {
    const { spans } = registerSdk();
    let attempts = 0;
    const service: ScriptedService = new ScriptedService({
      get: (_collection, _id, signal) =>
        retry(
          {
            signal,
            policy: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
            reason: 'throttled',
          },
          async () => (++attempts < 3 ? RETRY : stored),
        ),
    });
    await service.get('things', 'a');
    const [span] = spans.getFinishedSpans();
    expect(span?.attributes['gofannon.db.retries']).toBe(2);
    expect(span?.events.map((event) => event.attributes)).toEqual([
      { 'gofannon.db.retry.attempt': 2, 'gofannon.db.retry.reason': 'throttled' },
      { 'gofannon.db.retry.attempt': 3, 'gofannon.db.retry.reason': 'throttled' },
    ]);
  });

  it('names no collection that is not valid, and marks the 400', async () => {
    const { spans, points } = registerSdk();
    const service = new ScriptedService({});
    await expect(service.get('Not Valid', 'a')).rejects.toMatchObject({ status: 400 });
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe('get');
    expect(span?.attributes['db.collection.name']).toBeUndefined();
    expect(span?.attributes['error.type']).toBe('invalid');
    const [errors] = await points('gofannon.db.client.errors');
    expect(errors?.attributes).toMatchObject({ 'error.type': 'invalid' });
    expect(errors?.value).toBe(1);
  });

  it('with metrics only, times each call by operation and collection, and counts failures apart', async () => {
    const { points } = registerSdk({ tracing: false });
    const service = new ScriptedService({
      get: async (_collection, id) => (id === 'a' ? stored : null),
    });
    await expect(service.get('things', 'gone')).rejects.toMatchObject({ status: 404 });
    await service.get('things', 'a');
    await service.get('things', 'a');
    await service.get('others', 'a');
    const durations = await points('db.client.operation.duration');
    const series = durations.map((point) => ({
      attributes: point.attributes,
      count: (point.value as unknown as { count: number }).count,
    }));
    const base = {
      'db.system.name': 'gofannon.scripted',
      'gofannon.db.provider': 'scripted',
      'db.operation.name': 'get',
    };
    // The failure's error.type stays on its own series: the shared attributes are not changed.
    expect(series).toEqual(
      expect.arrayContaining([
        {
          attributes: { ...base, 'db.collection.name': 'things', 'error.type': 'not_found' },
          count: 1,
        },
        { attributes: { ...base, 'db.collection.name': 'things' }, count: 2 },
        { attributes: { ...base, 'db.collection.name': 'others' }, count: 1 },
      ]),
    );
    expect(series).toHaveLength(3);
    const [errors] = await points('gofannon.db.client.errors');
    expect(errors?.attributes).toMatchObject({ 'error.type': 'not_found' });
    expect(errors?.value).toBe(1);
  });

  it("reads an adapter's gauges at each collection, and no more once it is closed", async () => {
    const { points } = registerSdk();
    const read = vi.fn(() => [{ value: 7, attributes: { 'db.client.connection.state': 'idle' } }]);
    class PooledService extends ScriptedService {
      constructor() {
        super({ get: async () => stored });
        this.reportGauges([{ name: 'pool.size', description: 'test', read }]);
      }
    }
    const service = new PooledService();
    await service.get('things', 'a');
    const [point] = await points('pool.size');
    expect(point?.value).toBe(7);
    expect(point?.attributes).toMatchObject({
      'db.system.name': 'gofannon.scripted',
      'db.client.connection.state': 'idle',
    });
    const reads = read.mock.calls.length;
    await service.close();
    await points('pool.size');
    expect(read.mock.calls.length).toBe(reads);
  });
});

import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  ObservableCallback,
  ObservableGauge,
  ObservableResult,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { isDatabaseError } from '../errors';
import { CALL_COUNTS, type CallCounts, callEnded, callStarted, otel } from './call-state';
import { ATTR, DURATION_BUCKETS, METRIC, SCOPE_NAME, systemNameOf } from './conventions';

/** One gauge an adapter reports (pool sizes and the like); read when metrics are collected. */
export interface GaugeDefinition {
  name: string;
  description: string;
  unit?: string;
  /** The current values, each with its own attributes (`db.system.name` is added). */
  read(): Array<{ value: number; attributes?: Record<string, string> }>;
}

/** The meter's instruments of one service. */
interface Instruments {
  meter: Meter;
  duration: Histogram;
  errors: Counter;
  returned: Histogram;
}

// biome-ignore lint/complexity/noBannedTypes: a class, for instanceof
type AnyClass = Function;

/** The classes the API answers with while no SDK is registered, to tell "off" cheaply. */
const noop: { tracer: AnyClass; meter: AnyClass } | undefined = otel && {
  tracer: new otel.ProxyTracerProvider().getDelegate().getTracer('probe').constructor,
  meter: otel.createNoopMeter().constructor,
};

/**
 * Where every copy of the OpenTelemetry API 1.x in the process keeps the global providers:
 * one object, its `trace` and `metrics` slots set by `setGlobal…Provider` and emptied by
 * `disable()`. Two reads of it tell whether either changed since a service last looked;
 * asking the API costs a version check per provider, about 45 ns a call, which is a tenth
 * of an in-memory delete. (The key is the API's own, for its major version 1, the one
 * db-core's peer dependency allows; a change is still resolved through the API.)
 */
const GLOBAL_PROVIDERS = Symbol.for('opentelemetry.js.api.1');

/** Collections per operation whose attributes a service keeps. */
const ATTRIBUTE_SETS_PER_OPERATION = 1000;

interface GlobalProviderSlots {
  trace?: unknown;
  metrics?: unknown;
}

/**
 * Spans and metrics of one service's public calls, following OpenTelemetry's database
 * conventions. Whether anything is recorded is decided per call from the global providers,
 * so an SDK registered after the service was made is picked up; while none is (or the API
 * is not installed), {@link ServiceTelemetry.recording} is false and a call costs a few
 * property reads more than without telemetry.
 */
export class ServiceTelemetry {
  readonly #attributes: Attributes;
  readonly #gauges: GaugeDefinition[] = [];
  #tracerDelegate: TracerProvider | undefined;
  #tracer: Tracer | undefined;
  #meterProvider: MeterProvider | undefined;
  #instruments: Instruments | undefined;
  #observedGauges: Array<{ gauge: ObservableGauge; callback: ObservableCallback }> = [];
  #closed = false;
  /** The global slots as {@link #refresh} last saw them; `#seen` false until it first looks. */
  #seen = false;
  #traceSlot: unknown;
  #metricsSlot: unknown;
  /** The attributes of each operation and collection seen: see {@link #attributesOf}. */
  readonly #attributeSets = new Map<string, Map<string | undefined, Attributes>>();

  constructor(provider: string) {
    this.#attributes = { [ATTR.systemName]: systemNameOf(provider), [ATTR.provider]: provider };
  }

  /** Whether a registered SDK would record this call's span or metrics. */
  get recording(): boolean {
    if (otel === undefined) return false;
    this.#refresh();
    return this.#tracer !== undefined || this.#instruments !== undefined;
  }

  /** Adds gauges the adapter reports; they are observed from the first recorded call on. */
  addGauges(gauges: GaugeDefinition[]): void {
    this.#gauges.push(...gauges);
    if (this.#instruments !== undefined && !this.#closed) {
      this.#observeGauges(this.#instruments.meter, gauges);
    }
  }

  /** Stops observing the gauges: the service is closed. */
  close(): void {
    this.#closed = true;
    this.#unobserveGauges();
  }

  /**
   * Runs `work` as the call `operation` on `collection` (a valid name, or `undefined` for
   * calls on no collection): in a span of its own, timed, its failure counted by error
   * code. `returned` counts the documents of its answer. Call only when `recording`.
   */
  async observe<T>(
    operation: string,
    collection: string | undefined,
    batchSize: number | undefined,
    work: () => Promise<T>,
    returned?: (result: T) => number,
  ): Promise<T> {
    const tracer = this.#tracer;
    if (tracer === undefined) return this.#measure(operation, collection, work, returned);
    const api = otel as NonNullable<typeof otel>;
    const attributes = this.#attributesOf(operation, collection);
    const span = tracer.startSpan(
      collection === undefined ? operation : `${operation} ${collection}`,
      {
        kind: api.SpanKind.CLIENT,
        attributes:
          batchSize !== undefined && batchSize > 1
            ? { ...attributes, [ATTR.batchSize]: batchSize }
            : attributes,
      },
    );
    const counts: CallCounts = { requests: 0, retries: 0 };
    const context = api.trace.setSpan(
      api.context.active().setValue(CALL_COUNTS as symbol, counts),
      span,
    );
    const started = performance.now();
    callStarted();
    let errorType: string | undefined;
    let rows: number | undefined;
    try {
      const result = await api.context.with(context, work);
      rows = returned?.(result);
      return result;
    } catch (error) {
      errorType = errorTypeOf(error);
      span.setStatus({
        code: api.SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      callEnded();
      span.setAttributes({
        [ATTR.requests]: counts.requests,
        [ATTR.retries]: counts.retries,
        ...(rows !== undefined && { [ATTR.returnedRows]: rows }),
        ...(errorType !== undefined && { [ATTR.errorType]: errorType }),
      });
      span.end();
      this.#record(started, attributes, errorType, rows);
    }
  }

  /**
   * {@link observe} with metrics only. With no span to count requests and retries on,
   * the call needs no context of its own: only its time, its documents and its error.
   */
  async #measure<T>(
    operation: string,
    collection: string | undefined,
    work: () => Promise<T>,
    returned?: (result: T) => number,
  ): Promise<T> {
    const attributes = this.#attributesOf(operation, collection);
    const started = performance.now();
    let errorType: string | undefined;
    let rows: number | undefined;
    try {
      const result = await work();
      rows = returned?.(result);
      return result;
    } catch (error) {
      errorType = errorTypeOf(error);
      throw error;
    } finally {
      this.#record(started, attributes, errorType, rows);
    }
  }

  /** Records a call's duration, its failure and its documents returned. */
  #record(
    started: number,
    attributes: Attributes,
    errorType: string | undefined,
    rows: number | undefined,
  ): void {
    const instruments = this.#instruments;
    if (instruments === undefined) return;
    const seconds = (performance.now() - started) / 1000;
    const recorded =
      errorType === undefined ? attributes : { ...attributes, [ATTR.errorType]: errorType };
    instruments.duration.record(seconds, recorded);
    if (errorType !== undefined) instruments.errors.add(1, recorded);
    if (rows !== undefined) instruments.returned.record(rows, recorded);
  }

  /**
   * The attributes of a call `operation` on `collection`, made once per pair and shared by
   * every call after (frozen: the SDK keeps the first it sees as the series' key). Each
   * call would otherwise build the same object again for the SDK to hash.
   */
  #attributesOf(operation: string, collection: string | undefined): Attributes {
    let byCollection = this.#attributeSets.get(operation);
    if (byCollection === undefined) {
      byCollection = new Map();
      this.#attributeSets.set(operation, byCollection);
    }
    const known = byCollection.get(collection);
    if (known !== undefined) return known;
    const attributes: Attributes = { ...this.#attributes, [ATTR.operationName]: operation };
    if (collection !== undefined) attributes[ATTR.collectionName] = collection;
    Object.freeze(attributes);
    // Bounded: a service used with ever new collection names keeps no more than this.
    if (byCollection.size < ATTRIBUTE_SETS_PER_OPERATION) byCollection.set(collection, attributes);
    return attributes;
  }

  /** Picks up providers registered (or replaced) since the last call. */
  #refresh(): void {
    const slots = (globalThis as { [GLOBAL_PROVIDERS]?: GlobalProviderSlots })[GLOBAL_PROVIDERS];
    const traceSlot = slots?.trace;
    const metricsSlot = slots?.metrics;
    if (this.#seen && traceSlot === this.#traceSlot && metricsSlot === this.#metricsSlot) return;
    this.#seen = true;
    this.#traceSlot = traceSlot;
    this.#metricsSlot = metricsSlot;
    const api = otel as NonNullable<typeof otel>;
    const tracerProvider = api.trace.getTracerProvider();
    const delegate =
      tracerProvider instanceof api.ProxyTracerProvider
        ? tracerProvider.getDelegate()
        : tracerProvider;
    if (delegate !== this.#tracerDelegate) {
      this.#tracerDelegate = delegate;
      const tracer = delegate.getTracer(SCOPE_NAME);
      this.#tracer =
        tracer instanceof (noop as NonNullable<typeof noop>).tracer ? undefined : tracer;
    }
    const meterProvider = api.metrics.getMeterProvider();
    if (meterProvider !== this.#meterProvider) {
      this.#meterProvider = meterProvider;
      this.#unobserveGauges();
      const meter = meterProvider.getMeter(SCOPE_NAME);
      this.#instruments =
        meter instanceof (noop as NonNullable<typeof noop>).meter
          ? undefined
          : instrumentsOf(meter);
      if (this.#instruments !== undefined && !this.#closed)
        this.#observeGauges(meter, this.#gauges);
    }
  }

  #observeGauges(meter: Meter, definitions: readonly GaugeDefinition[]): void {
    for (const definition of definitions) {
      const gauge = meter.createObservableGauge(definition.name, {
        description: definition.description,
        ...(definition.unit !== undefined && { unit: definition.unit }),
      });
      const callback = (result: ObservableResult) => {
        for (const { value, attributes } of definition.read()) {
          result.observe(value, { ...this.#attributes, ...attributes });
        }
      };
      gauge.addCallback(callback);
      this.#observedGauges.push({ gauge, callback });
    }
  }

  /** A closed service (or a replaced meter provider) reports no more gauge values. */
  #unobserveGauges(): void {
    for (const { gauge, callback } of this.#observedGauges) gauge.removeCallback(callback);
    this.#observedGauges = [];
  }
}

function instrumentsOf(meter: Meter): Instruments {
  return {
    meter,
    duration: meter.createHistogram(METRIC.duration, {
      description: 'Duration of database client operations',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    errors: meter.createCounter(METRIC.errors, {
      description: 'Database client operations that failed, by error.type (the error code)',
      unit: '{operation}',
    }),
    returned: meter.createHistogram(METRIC.returnedRows, {
      description: 'Documents returned by database client operations',
      unit: '{document}',
      advice: { explicitBucketBoundaries: [0, 1, 10, 100, 1000, 10000] },
    }),
  };
}

/** Our stable error code where the failure is ours, else the conventions' fallback. */
function errorTypeOf(error: unknown): string {
  if (isDatabaseError(error)) return error.code;
  return '_OTHER';
}

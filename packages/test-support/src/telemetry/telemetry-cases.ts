import type { DatabaseService } from '@gofannon/db-core';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTestTelemetry, type MetricPoint, type TestTelemetry } from './test-telemetry';

export interface TelemetryCaseOptions {
  /** A fresh service on a fresh store (collections may be shared; ids are unique per test). */
  open: () => Promise<DatabaseService>;
  /** The expected `db.system.name`. */
  systemName: string;
  /** Whether each call makes backend requests (a server provider) or none (in-process). */
  countsRequests: boolean;
  /** A service whose backend cannot be reached: its calls fail with 503. */
  openUnreachable?: () => Promise<DatabaseService>;
}

let sequence = 0;

/**
 * The spans and metrics every adapter's public calls produce under a registered
 * OpenTelemetry SDK: one span per call, named and attributed by the database semantic
 * conventions, the duration histogram and the error counter, and never an id or a
 * document's content in an attribute.
 */
export function describeTelemetry(label: string, options: TelemetryCaseOptions): void {
  describe(`${label}: OpenTelemetry spans and metrics`, () => {
    let telemetry: TestTelemetry;
    let service: DatabaseService;
    const collection = 'telemetry';
    const id = (name: string) => `${name}-${process.pid}-${++sequence}`;

    beforeAll(() => {
      telemetry = installTestTelemetry();
    });
    afterAll(async () => {
      await telemetry.uninstall();
    });
    beforeEach(async (context) => {
      service = await options.open();
      telemetry.reset();
      context.onTestFinished(() => service.close());
    });

    const onlySpan = () => {
      const spans = telemetry.spans();
      expect(spans.map((span) => span.name)).toHaveLength(1);
      return spans[0] as NonNullable<(typeof spans)[0]>;
    };

    it('gives every operation one client span named by operation and collection', async () => {
      const first = id('doc');
      const second = id('doc');
      const secret = `secret-${first}`;
      const calls: Array<[string, () => Promise<unknown>, Record<string, unknown>]> = [
        ['save', () => service.save(collection, first, { secret }), {}],
        ['get', () => service.get(collection, first), {}],
        [
          'saveMany',
          () =>
            service.saveMany(collection, [
              { id: second, doc: { secret } },
              { id: id('doc'), doc: {} },
            ]),
          { 'db.operation.batch.size': 2 },
        ],
        [
          'getMany',
          () => service.getMany(collection, [first, second, id('absent')]),
          { 'db.operation.batch.size': 3, 'db.response.returned_rows': 2 },
        ],
        ['list', () => service.list(collection, { limit: 1 }), { 'db.response.returned_rows': 1 }],
        [
          'find',
          () => service.find(collection, { where: [['secret', '==', secret]] }),
          {
            'db.response.returned_rows': 2,
          },
        ],
        ['ensureIndex', () => service.ensureIndex(collection, { fields: ['secret'] }), {}],
        ['delete', () => service.delete(collection, first), {}],
        ['deleteMany', () => service.deleteMany(collection, [second]), {}],
      ];
      for (const [operation, call, extra] of calls) {
        telemetry.reset();
        await call();
        const span = onlySpan();
        expect(span.name).toBe(`${operation} ${collection}`);
        expect(span.kind).toBe(2); // SpanKind.CLIENT
        expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
        expect(span.attributes).toMatchObject({
          'db.system.name': options.systemName,
          'db.operation.name': operation,
          'db.collection.name': collection,
          'gofannon.db.provider': service.provider,
          ...extra,
        });
        if (options.countsRequests) {
          expect(span.attributes['gofannon.db.requests']).toBeGreaterThanOrEqual(1);
        } else expect(span.attributes['gofannon.db.requests']).toBe(0);
        // Never an id or a document's content.
        const shown = JSON.stringify(span.attributes) + JSON.stringify(span.events);
        expect(shown).not.toContain(first);
        expect(shown).not.toContain('secret');
      }
      telemetry.reset();
      const all = await service.listAll(collection);
      expect(onlySpan().attributes['db.response.returned_rows']).toBe(all.length);
      telemetry.reset();
      await service.ping();
      expect(onlySpan().name).toBe('ping');
      expect(onlySpan().attributes['db.collection.name']).toBeUndefined();
    });

    it('times every call in db.client.operation.duration, by operation', async () => {
      const before = await telemetry.collect();
      const doc = id('timed');
      await service.save(collection, doc, { n: 1 });
      await service.get(collection, doc);
      await service.get(collection, doc);
      const after = await telemetry.collect();
      const calls = (points: MetricPoint[], operation: string) =>
        points
          .filter(
            (point) =>
              point.name === 'db.client.operation.duration' &&
              point.attributes['db.operation.name'] === operation &&
              point.attributes['db.collection.name'] === collection &&
              point.attributes['error.type'] === undefined,
          )
          .reduce((total, point) => total + point.value, 0);
      expect(calls(after, 'get') - calls(before, 'get')).toBe(2);
      expect(calls(after, 'save') - calls(before, 'save')).toBe(1);
      const point = after.find((p) => p.name === 'db.client.operation.duration');
      expect(point?.attributes['db.system.name']).toBe(options.systemName);
      expect(point?.sum).toBeGreaterThan(0);
    });

    it('marks a 409 and a 404 as errors with their code, and counts them', async () => {
      const doc = id('conflict');
      await service.save(collection, doc, { n: 1 });
      const errorsBefore = errorCount(await telemetry.collect(), 'conflict');
      telemetry.reset();
      await expect(service.save(collection, doc, { n: 2 }, { ifRev: null })).rejects.toMatchObject({
        status: 409,
      });
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('conflict');
      expect(errorCount(await telemetry.collect(), 'conflict')).toBe(errorsBefore + 1);
      telemetry.reset();
      await expect(service.get(collection, id('missing'))).rejects.toMatchObject({ status: 404 });
      expect(onlySpan().attributes['error.type']).toBe('not_found');
    });

    it('marks a 503 as unavailable: a closed service, and an unreachable backend', async () => {
      const closed = await options.open();
      await closed.close();
      telemetry.reset();
      await expect(closed.get(collection, id('any'))).rejects.toMatchObject({ status: 503 });
      expect(onlySpan().attributes['error.type']).toBe('unavailable');
      if (options.openUnreachable) {
        const unreachable = await options.openUnreachable();
        try {
          telemetry.reset();
          await expect(unreachable.get(collection, id('any'))).rejects.toMatchObject({
            status: 503,
          });
          expect(onlySpan().attributes['error.type']).toBe('unavailable');
          expect(onlySpan().status.code).toBe(SpanStatusCode.ERROR);
        } finally {
          await unreachable.close();
        }
      }
    });

    it("nests its span under the caller's active span", async () => {
      const tracer = trace.getTracer('test');
      await tracer.startActiveSpan('request', async (parent) => {
        await service.save(collection, id('nested'), {});
        parent.end();
      });
      const spans = telemetry.spans();
      const parent = spans.find((span) => span.name === 'request');
      const child = spans.find((span) => span.name === `save ${collection}`);
      expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
      expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
    });
  });
}

function errorCount(points: MetricPoint[], code: string): number {
  return points
    .filter(
      (point) =>
        point.name === 'gofannon.db.client.errors' && point.attributes['error.type'] === code,
    )
    .reduce((total, point) => total + point.value, 0);
}

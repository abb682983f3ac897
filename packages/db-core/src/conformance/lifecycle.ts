import type { DatabaseService } from '@gofannon/db-core';
import { isDatabaseError } from '@gofannon/db-core';
import { expect } from 'vitest';
import { eventually, expectDatabaseError } from './expectations';
import { defineCases } from './harness';

/** Every operation once, each expected to fail the same way when the backend is gone. */
function everyOperation(
  service: DatabaseService,
  collection: string,
): Array<[string, () => Promise<unknown>]> {
  return [
    ['get', () => service.get(collection, 'a')],
    ['save', () => service.save(collection, 'a', { v: 1 })],
    ['delete', () => service.delete(collection, 'a')],
    ['listAll', () => service.listAll(collection)],
    ['list', () => service.list(collection)],
    ['getMany', () => service.getMany(collection, ['a'])],
    ['ping', () => service.ping()],
  ];
}

export const lifecycleCases = defineCases('lifecycle', {
  async 'the service names its provider and answers ping'({ service }) {
    expect(typeof service.provider).toBe('string');
    expect(service.provider.length).toBeGreaterThan(0);
    await expect(service.ping()).resolves.toBeUndefined();
  },

  async 'close is idempotent, also when called concurrently'({ service }) {
    await Promise.all([service.close(), service.close()]);
    await expect(service.close()).resolves.toBeUndefined();
  },

  async 'after close every operation is 503'({ service, collection }) {
    await service.save(collection, 'a', { v: 1 });
    await service.close();
    for (const [name, work] of everyOperation(service, collection)) {
      const error = await work().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect([name, isDatabaseError(error) && error.code]).toEqual([name, 'unavailable']);
    }
  },
});

/** These need the `outage` option, and are reported as skipped without it. */
export const outageCases = defineCases('lifecycle', {
  async 'a stopped backend gives 503 in bounded time, and the same service recovers'({
    service,
    collection,
    options,
  }) {
    const outage = options.outage as NonNullable<typeof options.outage>;
    await service.save(collection, 'before', { v: 1 });
    await outage.stop();
    try {
      for (const [name, work] of everyOperation(service, collection)) {
        const started = Date.now();
        const error = await expectDatabaseError(work(), 'unavailable').catch((failure: unknown) => {
          throw new Error(`${name} during an outage: ${String(failure)}`);
        });
        expect(error.status).toBe(503);
        expect(Date.now() - started).toBeLessThan(outage.timeoutMs + 5_000);
      }
    } finally {
      await outage.start();
    }
    // The restarted backend may have lost its data; what matters is that this object works again.
    await eventually(() => service.ping(), 30_000);
    await service.save(collection, 'after', { v: 2 });
    expect((await service.get(collection, 'after')).v).toBe(2);
  },
}).map((testCase) => ({ ...testCase, requires: 'outage' as const }));

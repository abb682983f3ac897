import { expect } from 'vitest';
import { defineCases } from './harness';
import { batchCalls, settle, singleCalls } from './unavailable';

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
    const { rev } = await service.save(collection, 'b', { v: 1 });
    await service.close();
    const calls = [...singleCalls(service, collection), ...batchCalls(service, collection, rev)];
    const problems: string[] = [];
    for (const operation of calls) {
      const problem = operation.problem(await settle(operation.call()));
      if (problem !== undefined) problems.push(`${operation.name} after close: ${problem}`);
    }
    expect(problems).toEqual([]);
  },
});

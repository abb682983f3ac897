import type { JsonObject } from '@gofannon/db-core';
import { expect } from 'vitest';
import { expectDatabaseError } from './expectations';
import { defineCases } from './harness';

/** Largest size the suite builds a document of; bigger declared limits are checked at this size. */
const LARGEST_CHECKED_BYTES = 16 * 1024 * 1024;

function tooLargeToBuild(max: number): string {
  return `maxDocumentBytes ${max} is more than the ${LARGEST_CHECKED_BYTES} bytes the suite builds a document of`;
}

/** A document whose JSON encoding is exactly `bytes` long: `{"p":"xx…"}`. */
function documentOfBytes(bytes: number): { p: string } {
  return { p: 'x'.repeat(bytes - '{"p":""}'.length) };
}

/** A document nested `depth` levels deep, the document itself being level 1. */
function documentOfDepth(depth: number): JsonObject {
  let inner: unknown = depth % 2 ? {} : [];
  for (let level = depth - 1; level >= 1; level--) inner = level % 2 ? { o: inner } : [inner];
  return inner as JsonObject;
}

export const limitCases = defineCases('limits', {
  async 'capabilities declare the limits and features'({ service }) {
    const { capabilities } = service;
    expect(
      Number.isInteger(capabilities.maxDocumentBytes) && capabilities.maxDocumentBytes > 1024,
    ).toBe(true);
    expect(capabilities.maxIdBytes).toBe(512);
    expect(
      Number.isInteger(capabilities.maxNestingDepth) && capabilities.maxNestingDepth >= 2,
    ).toBe(true);
    expect(typeof capabilities.atomicBatches).toBe('boolean');
    if (capabilities.numberRange) {
      expect(capabilities.numberRange.maxAbs).toBeGreaterThan(capabilities.numberRange.minAbs);
    }
  },

  async 'a document of exactly maxDocumentBytes is stored; one byte more is 413'({
    service,
    collection,
  }) {
    const max = service.capabilities.maxDocumentBytes;
    if (max <= LARGEST_CHECKED_BYTES) {
      const { rev } = await service.save(collection, 'at-limit', documentOfBytes(max));
      const stored = await service.get(collection, 'at-limit');
      expect(stored._rev).toBe(rev);
      expect((stored.p as string).length).toBe(max - 8);
      await expectDatabaseError(
        service.save(collection, 'over', documentOfBytes(max + 1)),
        'too_large',
        {
          collection,
          id: 'over',
        },
      );
    } else {
      await service.save(collection, 'at-limit', documentOfBytes(LARGEST_CHECKED_BYTES));
    }
  },

  async 'multi-byte characters count as their UTF-8 bytes'({ service, collection, skip }) {
    const max = service.capabilities.maxDocumentBytes;
    if (max > LARGEST_CHECKED_BYTES) skip(tooLargeToBuild(max));
    const chars = Math.floor((max - 8) / 3) + 1;
    await expectDatabaseError(
      service.save(collection, 'wide', { p: '日'.repeat(chars) }),
      'too_large',
    );
  },

  async 'a too-large item in saveMany is 413 on its own; an overwrite keeps the old version'({
    service,
    collection,
    skip,
  }) {
    const max = service.capabilities.maxDocumentBytes;
    if (max > LARGEST_CHECKED_BYTES) skip(tooLargeToBuild(max));
    const { rev } = await service.save(collection, 'kept', { small: true });
    await expectDatabaseError(
      service.save(collection, 'kept', documentOfBytes(max + 1)),
      'too_large',
    );
    expect((await service.get(collection, 'kept'))._rev).toBe(rev);
    const results = await service.saveMany(collection, [
      { id: 'big', doc: documentOfBytes(max + 1) },
      { id: 'small', doc: { ok: 1 } },
    ]);
    expect(results[0] && 'error' in results[0] && results[0].error.code).toBe('too_large');
    if (!service.capabilities.atomicBatches) expect(results[1] && 'rev' in results[1]).toBe(true);
    await expectDatabaseError(service.get(collection, 'big'), 'not_found');
  },

  async 'nesting up to maxNestingDepth is stored; one level more is 400'({ service, collection }) {
    const depth = service.capabilities.maxNestingDepth;
    const deepest = documentOfDepth(depth);
    await service.save(collection, 'deepest', deepest);
    const { _id, _rev, ...body } = await service.get(collection, 'deepest');
    expect(body).toStrictEqual(deepest);
    const error = await expectDatabaseError(
      service.save(collection, 'too-deep', documentOfDepth(depth + 1)),
      'invalid',
    );
    expect((error as { path?: string }).path).toMatch(/^\//);
  },

  async 'declared number limits are enforced at their bounds'({ service, collection }) {
    const range = service.capabilities.numberRange;
    if (!range) {
      const extremes = { values: [Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -5e-324] };
      await service.save(collection, 'extremes', extremes);
      expect((await service.get(collection, 'extremes')).values).toEqual(extremes.values);
      return;
    }
    await service.save(collection, 'bounds', {
      values: [range.maxAbs, -range.maxAbs, range.minAbs, -range.minAbs],
    });
    for (const value of [range.maxAbs * 10, -range.maxAbs * 10, range.minAbs / 10]) {
      const error = await expectDatabaseError(
        service.save(collection, 'out', { nested: { value } }),
        'invalid',
      );
      expect((error as { path?: string }).path).toBe('/nested/value');
    }
  },

  async 'a declared NUL limit is enforced; otherwise NUL round-trips'({ service, collection }) {
    const inputs = { value: { text: 'a\u0000b' }, key: { nested: { 'k\u0000': 1 } } };
    if (service.capabilities.nulCharacters !== false) {
      for (const [id, input] of Object.entries(inputs)) {
        await service.save(collection, id, input);
        const { _id, _rev, ...body } = await service.get(collection, id);
        expect(body).toStrictEqual(input);
      }
      return;
    }
    const valueError = await expectDatabaseError(
      service.save(collection, 'value', inputs.value),
      'invalid',
    );
    expect((valueError as { path?: string }).path).toBe('/text');
    const keyError = await expectDatabaseError(
      service.save(collection, 'key', inputs.key),
      'invalid',
    );
    expect((keyError as { path?: string }).path).toBe('/nested/k\u0000');
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'a declared empty-field-name limit is enforced; otherwise empty names round-trip'({
    service,
    collection,
  }) {
    const input = { nested: { '': 1, list: [{ '': 'x' }] } };
    if (service.capabilities.emptyFieldNames !== false) {
      await service.save(collection, 'empty', input);
      const { _id, _rev, ...body } = await service.get(collection, 'empty');
      expect(body).toStrictEqual(input);
      return;
    }
    const error = await expectDatabaseError(service.save(collection, 'empty', input), 'invalid');
    expect((error as { path?: string }).path).toBe('/nested/');
    expect(await service.listAll(collection)).toEqual([]);
  },
});

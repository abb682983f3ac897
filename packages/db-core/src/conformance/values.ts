import type { Capabilities, JsonObject } from '@gofannon/db-core';
import { expect } from 'vitest';
import { expectDatabaseError, expectStored } from './expectations';
import { untyped } from './fixtures';
import { defineCases } from './harness';

function nested(depth: number): JsonObject {
  let value: JsonObject = { leaf: true };
  for (let i = 1; i < depth; i++)
    value = i % 2 ? { [`level${i}`]: value } : { list: [value] as never };
  return value;
}

/** The most bytes of JSON each large entry of the matrix takes: its size at the most. */
const LARGE_ENTRY_BYTES = 100_000;

/**
 * Values every adapter must round-trip exactly, as `JSON.parse(JSON.stringify(value))`.
 * The three large entries take at most a quarter of `maxDocumentBytes` each, so that each
 * fits one document and all of them fit the mixed one, whatever limit an adapter declares.
 */
function valueMatrix(maxDocumentBytes: number): Record<string, unknown> {
  const largeBytes = Math.min(LARGE_ENTRY_BYTES, Math.floor(maxDocumentBytes / 4));
  return {
    null: null,
    true: true,
    false: false,
    zero: 0,
    'negative zero': -0,
    'small integer': -42,
    float: 0.1 + 0.2,
    'max safe integer': Number.MAX_SAFE_INTEGER,
    'min safe integer': Number.MIN_SAFE_INTEGER,
    huge: 1e300,
    'huge negative': -1e300,
    tiny: 5e-324,
    'tiny negative': -5e-324,
    'max double': Number.MAX_VALUE,
    'empty string': '',
    'empty object': {},
    'empty array': [],
    'nested arrays': [[1, [2, [3, []]]], [], [[]], [{ in: [['deep']] }]],
    'array of mixed values': [null, true, 1, 'two', { three: 3 }, [4]],
    'unicode values': 'héllo wörld ✓ 日本語 😀 \u200b RTL עברית',
    'unicode keys': { ключ: 1, 键: 2, '😀': 3, ñ: { ü: 4 } },
    'keys with dots and dollars': {
      'a.b': 1,
      $set: 2,
      a$b: 3,
      $: 4,
      '.': 5,
      'x.y.z': { $in: [1] },
    },
    'keys that look special': {
      constructor: 2,
      toString: 3,
      hasOwnProperty: 4,
      ' ': 6,
      '0': 7,
      '01': 8,
      '-1': 9,
    },
    'nested underscore keys': { _id: 'inner', _rev: 'inner', _private: true },
    'control and escape characters': '\t\n\r\b\f\u0001\u001f"\\/',
    'NUL inside a string': 'a\u0000b',
    // Each of these three is at most largeBytes of JSON: 100 KB, or a quarter of the limit.
    'large string': 'x'.repeat(largeBytes - 2),
    // '日本' is 6 bytes of UTF-8.
    'multi-byte large string': '日本'.repeat(Math.min(20_000, Math.floor((largeBytes - 2) / 6))),
    // Up to 4 digits and a comma each: 24 KB for all 5000.
    'long array': Array.from({ length: Math.min(5000, Math.floor(largeBytes / 5)) }, (_, i) => i),
    'deep nesting': nested(20),
  };
}

/** Inputs JSON would change or drop silently, so the contract refuses them with their path. */
function refusedValues(): Array<[string, () => object, string]> {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  const arrayCycle: unknown[] = [];
  arrayCycle.push(arrayCycle);
  return [
    ['NaN', () => ({ a: { b: Number.NaN } }), '/a/b'],
    ['Infinity', () => ({ a: [1, Number.POSITIVE_INFINITY] }), '/a/1'],
    ['-Infinity', () => ({ n: Number.NEGATIVE_INFINITY }), '/n'],
    ['BigInt', () => ({ big: 10n }), '/big'],
    ['function', () => ({ fn: () => 1 }), '/fn'],
    ['symbol', () => ({ s: Symbol('x') }), '/s'],
    ['Map', () => ({ m: new Map([[1, 2]]) }), '/m'],
    ['Set', () => ({ s: new Set([1]) }), '/s'],
    [
      'class instance',
      () => ({
        c: new (class Point {
          x = 1;
        })(),
      }),
      '/c',
    ],
    ['RegExp', () => ({ r: /x/ }), '/r'],
    ['Uint8Array', () => ({ u: new Uint8Array(2) }), '/u'],
    ['invalid Date', () => ({ d: new Date(Number.NaN) }), '/d'],
    ['cycle', () => ({ outer: cycle }), '/outer/self'],
    ['array cycle', () => ({ list: arrayCycle }), '/list/0'],
    ['undefined in an array', () => ({ list: [1, undefined, 3] }), '/list/1'],
    ['hole in an array', () => ({ list: sparse() }), '/list/1'],
    ['lone surrogate in a value', () => ({ s: 'a\ud800b' }), '/s'],
    ['lone surrogate in a key', () => ({ nested: { 'k\udfff': 1 } }), '/nested/k\udfff'],
    ['path escaping', () => ({ 'a/b': { '~c': Number.NaN } }), '/a~1b/~0c'],
    ['top-level _ field', () => ({ _attachments: {} }), '/_attachments'],
    ['top-level _deleted', () => ({ _deleted: true }), '/_deleted'],
  ];
}

function sparse(): unknown[] {
  const list: unknown[] = new Array(3);
  list[0] = 1;
  list[2] = 3;
  return list;
}

/** Nesting depth of a value, counting each object and array as one level. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/** Every string and field name inside a value. */
function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return [...Object.keys(value), ...Object.values(value).flatMap(textsIn)];
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(numbersIn);
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Whether the adapter's declared limits allow this document. */
function withinLimits(capabilities: Capabilities, doc: object): boolean {
  const range = capabilities.numberRange;
  const numbersFit = numbersIn(doc).every((n) => {
    const abs = Math.abs(n);
    return !range || abs === 0 || (abs <= range.maxAbs && abs >= range.minAbs);
  });
  const textsFit =
    capabilities.nulCharacters !== false || textsIn(doc).every((text) => !text.includes('\u0000'));
  return numbersFit && textsFit && depthOf(doc) <= capabilities.maxNestingDepth;
}

export const valueCases = defineCases('values', {
  async 'every value in the matrix round-trips exactly'({ service, collection }) {
    const matrix = valueMatrix(service.capabilities.maxDocumentBytes);
    for (const [name, value] of Object.entries(matrix)) {
      const input = { value };
      if (!withinLimits(service.capabilities, input)) {
        await expectDatabaseError(service.save(collection, name, input), 'invalid');
        continue;
      }
      const { rev } = await service.save(collection, name, input);
      const stored = await service.get(collection, name);
      expectStored(stored, input, name, rev);
      if (Object.is(value, -0)) expect(Object.is(stored.value, 0)).toBe(true);
    }
  },

  async 'a whole document of mixed values round-trips'({ service, collection }) {
    const { capabilities } = service;
    const input = valueMatrix(capabilities.maxDocumentBytes);
    for (const [key, value] of Object.entries(input)) {
      if (!withinLimits(capabilities, { [key]: value })) delete input[key];
    }
    // Under a small limit (a few KB) the large entries are left out, largest first.
    const bySize = Object.keys(input).sort((a, b) => jsonBytes(input[b]) - jsonBytes(input[a]));
    for (const key of bySize) {
      if (jsonBytes(input) <= capabilities.maxDocumentBytes) break;
      delete input[key];
    }
    const { rev } = await service.save(collection, 'mixed', input);
    expectStored(await service.get(collection, 'mixed'), input, 'mixed', rev);
    const [listed] = await service.listAll(collection);
    expectStored(listed, input, 'mixed', rev);
  },

  async 'a nested "__proto__" key is stored as a plain key'({ service, collection }) {
    const input = JSON.parse(
      '{"inner": {"__proto__": {"polluted": true}}, "list": [{"__proto__": [1]}]}',
    ) as object;
    const { rev } = await service.save(collection, 'proto', input);
    const stored = await service.get(collection, 'proto');
    expectStored(stored, input, 'proto', rev);
    const inner = stored.inner as Record<string, unknown>;
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.keys(inner)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  },

  async 'a Date becomes its ISO-8601 string, undefined properties are dropped'({
    service,
    collection,
  }) {
    const when = new Date('2024-01-15T10:30:00.000Z');
    await service.save(collection, 'd', {
      when,
      nested: { at: [when] },
      gone: undefined,
      inner: { gone: undefined },
    });
    const stored = await service.get(collection, 'd');
    expect(stored.when).toBe('2024-01-15T10:30:00.000Z');
    expect(stored.nested).toEqual({ at: ['2024-01-15T10:30:00.000Z'] });
    expect('gone' in stored).toBe(false);
    expect(stored.inner).toStrictEqual({});
  },

  async 'values JSON cannot keep are refused with 400 naming the path, nothing stored'({
    service,
    collection,
  }) {
    const { rev } = await service.save(collection, 'existing', { v: 1 });
    for (const [name, make, path] of refusedValues()) {
      const error = await expectDatabaseError(
        service.save(collection, 'existing', make()),
        'invalid',
        {
          collection,
          id: 'existing',
        },
      );
      expect({ name, path: (error as { path?: string }).path }).toEqual({ name, path });
      await expectDatabaseError(service.save(collection, `new-${name}`, make()), 'invalid');
      const [item] = await service.saveMany(collection, [{ id: `batch-${name}`, doc: make() }]);
      expect(item && 'error' in item && item.error.code).toBe('invalid');
    }
    expectStored(await service.get(collection, 'existing'), { v: 1 }, 'existing', rev);
    expect((await service.listAll(collection)).map((doc) => doc._id)).toEqual(['existing']);
  },

  async 'a document must be a plain object'({ service, collection }) {
    for (const doc of [null, undefined, 'text', 42, true, [], [1], new Date(), new Map()]) {
      await expectDatabaseError(service.save(collection, 'doc', untyped(doc)), 'invalid');
    }
    expect(await service.listAll(collection)).toEqual([]);
  },

  async 'a document with a null prototype is accepted'({ service, collection }) {
    const input = Object.assign(Object.create(null) as object, { a: 1, b: { c: 'd' } });
    const { rev } = await service.save(collection, 'np', input);
    expectStored(await service.get(collection, 'np'), { a: 1, b: { c: 'd' } }, 'np', rev);
  },

  async "the caller's input is never mutated, frozen or not"({ service, collection }) {
    const make = () => ({
      _id: 'ignored',
      _rev: '1-ignored',
      tags: ['a'],
      nested: { when: new Date(0), deep: [{ x: 1 }] },
      gone: undefined,
    });
    const open = make();
    const frozen = deepFreeze(make());
    for (const [id, input] of [
      ['open', open],
      ['frozen', frozen],
    ] as const) {
      await service.save(collection, id, input);
      await service.saveMany(collection, [{ id: `${id}-batch`, doc: input }]);
      expect(input).toStrictEqual(make());
    }
  },

  async 'mutating the input after save changes nothing stored'({ service, collection }) {
    const input = { list: [1, 2], nested: { v: 'before' } };
    const { rev } = await service.save(collection, 'a', input);
    const batchInput = { list: [1, 2], nested: { v: 'before' } };
    await service.saveMany(collection, [{ id: 'b', doc: batchInput }]);
    for (const mutated of [input, batchInput]) {
      mutated.list.push(3);
      mutated.nested.v = 'after';
    }
    expectStored(
      await service.get(collection, 'a'),
      { list: [1, 2], nested: { v: 'before' } },
      'a',
      rev,
    );
    expect((await service.get(collection, 'b')).nested).toEqual({ v: 'before' });
  },

  async 'mutating what any read returns changes nothing stored or returned later'({
    service,
    collection,
  }) {
    const input = { list: [1, 2], nested: { v: 'before' } };
    const { rev } = await service.save(collection, 'a', input);
    const readers: Array<() => Promise<unknown>> = [
      () => service.get(collection, 'a'),
      async () => (await service.getMany(collection, ['a', 'a']))[1],
      async () => (await service.listAll(collection))[0],
      async () => (await service.list(collection)).documents[0],
    ];
    for (const read of readers) {
      const first = (await read()) as { list: number[]; nested: { v: string }; _rev: string };
      first.list.push(99);
      first.nested.v = 'mutated';
      first._rev = 'changed';
      expectStored(await read(), input, 'a', rev);
      expectStored(await service.get(collection, 'a'), input, 'a', rev);
    }
  },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

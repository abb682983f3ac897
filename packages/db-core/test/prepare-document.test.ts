import { describe, expect, it } from 'vitest';
import { isDatabaseError, prepareDocument, type ValidationError } from '../src';

const limits = { maxDocumentBytes: 100, maxNestingDepth: 3 };

function refusal(input: unknown, custom = limits): ValidationError {
  try {
    prepareDocument(input, custom, { collection: 'c', id: 'x' });
  } catch (error) {
    if (isDatabaseError(error)) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('prepareDocument', () => {
  it('returns the JSON round trip without _id and _rev', () => {
    const prepared = prepareDocument(
      { _id: 'a', _rev: 'b', a: 1, u: undefined, d: new Date(0) },
      limits,
    );
    expect(prepared.json).toBe('{"a":1,"d":"1970-01-01T00:00:00.000Z"}');
    expect(prepared.body).toStrictEqual({ a: 1, d: '1970-01-01T00:00:00.000Z' });
    expect(prepared.body).toBe(prepared.body);
  });

  it('names the JSON Pointer of the first bad value, with the target', () => {
    const error = refusal(
      { a: [{ 'b/c': { '~': [1, Number.NaN] } }] },
      { ...limits, maxNestingDepth: 10 },
    );
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid',
      path: '/a/0/b~1c/~0/1',
      collection: 'c',
      id: 'x',
    });
    expect(error.message).toContain('/a/0/b~1c/~0/1');
  });

  it('refuses reserved top-level names but allows them nested', () => {
    expect(refusal({ _deleted: true }).path).toBe('/_deleted');
    expect(prepareDocument({ inner: { _deleted: true } }, limits).body).toEqual({
      inner: { _deleted: true },
    });
  });

  it('counts nesting with the document as level 1', () => {
    expect(prepareDocument({ a: { b: [] } }, limits).json).toBe('{"a":{"b":[]}}');
    expect(refusal({ a: { b: [[]] } }).path).toBe('/a/b/0');
  });

  it('accepts shared references that are not cycles', () => {
    const shared = { s: 1 };
    expect(prepareDocument({ a: shared, b: [shared] }, limits).json).toBe(
      '{"a":{"s":1},"b":[{"s":1}]}',
    );
  });

  it('enforces a declared number range, zero always allowed', () => {
    const ranged = { ...limits, numberRange: { maxAbs: 1e10, minAbs: 1e-10 } };
    expect(prepareDocument({ z: 0, n: -0, a: 1e10, b: -1e-10 }, ranged).json).toBe(
      '{"z":0,"n":0,"a":10000000000,"b":-1e-10}',
    );
    expect(refusal({ big: 1e11 }, ranged).path).toBe('/big');
    expect(refusal({ small: [1e-11] }, ranged).path).toBe('/small/0');
  });

  it('refuses NUL in strings and field names only where the backend declares it', () => {
    expect(prepareDocument({ s: 'a\u0000' }, limits).json).toBe('{"s":"a\\u0000"}');
    const strict = { ...limits, nulCharacters: false };
    expect(refusal({ s: ['a\u0000'] }, strict).path).toBe('/s/0');
    expect(refusal({ 'k\u0000': 1 }, strict).message).toContain('field name cannot contain NUL');
  });

  it('refuses empty field names only where the backend declares it', () => {
    expect(prepareDocument({ '': { '': 1 } }, limits).json).toBe('{"":{"":1}}');
    const strict = { ...limits, emptyFieldNames: false };
    expect(refusal({ a: [{ '': 1 }] }, strict).path).toBe('/a/0/');
    expect(refusal({ '': 1 }, strict).message).toContain('field name cannot be empty');
  });

  it('measures size in UTF-8 bytes of the JSON and answers 413', () => {
    expect(prepareDocument({ s: 'é'.repeat(43) }, limits).bytes).toBe(94);
    const error = refusal({ s: 'é'.repeat(47) });
    expect(error).toMatchObject({ status: 413, code: 'too_large', collection: 'c', id: 'x' });
  });

  it('never mutates or keeps the input', () => {
    const input = Object.freeze({ _id: 'x', list: Object.freeze([1]) });
    const prepared = prepareDocument(input, limits);
    expect(prepared.body).toEqual({ list: [1] });
    expect(prepared.body.list).not.toBe(input.list);
  });

  it('answers 400 at the value whose getter or proxy throws', () => {
    const input = {
      fine: 1,
      nested: {
        get broken(): never {
          throw new Error('no access');
        },
      },
    };
    const error = refusal(input);
    expect(error).toMatchObject({ status: 400, path: '/nested/broken', collection: 'c' });
    expect(error.message).toContain('no access');
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trapped');
        },
      },
    );
    expect(refusal(trap)).toMatchObject({ status: 400, path: '' });
  });
});

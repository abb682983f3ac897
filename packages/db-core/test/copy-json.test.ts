import { describe, expect, it } from 'vitest';
import { copyJson } from '../src/adapter/copy-json';

const TEXT = JSON.stringify({
  name: 'Agent 1',
  '10': 'integer-like keys first, as JSON.parse orders them',
  '2': 'two',
  nested: { list: [1, [2, [3, { deep: null }]], 'x', true, -1.5e300], empty: {}, none: [] },
  unicode: 'é€😀',
});

describe('copyJson', () => {
  it('equals a fresh parse, keys in the same order', () => {
    const parsed = JSON.parse(TEXT);
    const copy = copyJson(parsed);
    expect(copy).toStrictEqual(JSON.parse(TEXT));
    expect(JSON.stringify(copy)).toBe(TEXT);
  });

  it('shares no object or array with what it copied', () => {
    const parsed = JSON.parse(TEXT);
    const copy = copyJson(parsed);
    copy.nested.list[1][1].push('added');
    copy.nested.empty.key = 'added';
    copy.name = 'changed';
    expect(JSON.stringify(parsed)).toBe(TEXT);
  });

  it('keeps a "__proto__" key a plain own key, at any depth', () => {
    const text = '{"__proto__":{"polluted":true},"list":[{"__proto__":[1]}]}';
    const copy = copyJson(JSON.parse(text));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'list']);
    expect(JSON.stringify(copy)).toBe(text);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('returns values that are not containers as they are', () => {
    for (const value of ['text', 0, -2.5, true, false, null]) expect(copyJson(value)).toBe(value);
  });
});

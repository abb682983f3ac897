import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/verify/canonical-json';
import { ContentHash } from '../src/verify/content-hash';

function digest(docs: Array<[string, Record<string, unknown>]>) {
  const hash = new ContentHash();
  for (const [id, doc] of docs) hash.add(id, doc as never);
  return hash.digest();
}

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('ContentHash', () => {
  const a: [string, Record<string, unknown>] = ['a', { x: 1, y: [1, 2] }];
  const b: [string, Record<string, unknown>] = ['b', { x: 2 }];

  it('does not depend on document order or key order', () => {
    expect(digest([a, b])).toEqual(digest([b, ['a', { y: [1, 2], x: 1 }]]));
    expect(digest([a, b]).documents).toBe(2);
  });

  it('changes with any id or content change, and with a repeated document', () => {
    const base = digest([a, b]).hash;
    expect(digest([a, ['b', { x: 3 }]]).hash).not.toBe(base);
    expect(digest([a, ['c', { x: 2 }]]).hash).not.toBe(base);
    expect(digest([a, ['b', { x: 2, extra: null }]]).hash).not.toBe(base);
    expect(digest([a, a, b, b]).hash).not.toBe(digest([]).hash);
    expect(digest([]).hash).toBe('0'.repeat(64));
  });
});

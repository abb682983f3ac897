import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../src';

describe('cursors', () => {
  it('round-trip any position within their collection', () => {
    for (const position of ['', 'a/b', '😀', '{"json":1}']) {
      expect(decodeCursor('c', encodeCursor('c', position))).toBe(position);
    }
  });

  it('are refused in another collection or when made up', () => {
    expect(() => decodeCursor('other', encodeCursor('c', 'x'))).toThrow(/Invalid cursor/);
    for (const cursor of ['', 'abc', Buffer.from('[2,"c","x"]').toString('base64url'), null, 5]) {
      expect(() => decodeCursor('c', cursor)).toThrow(/Invalid cursor/);
    }
  });
});

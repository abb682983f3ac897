import { describe, expect, it } from 'vitest';
import { assertCollectionName, assertDocumentId } from '../src';

describe('names', () => {
  it('accepts collection names of the documented shape', () => {
    for (const name of ['a', 'agents', 'a-b_c9', `a${'b'.repeat(63)}`])
      expect(() => assertCollectionName(name)).not.toThrow();
  });

  it('refuses other collection names with a message saying what is allowed', () => {
    for (const name of ['', 'A', '9a', `a${'b'.repeat(64)}`, 'a.b', undefined]) {
      expect(() => assertCollectionName(name)).toThrow(/a-z, 0-9/);
    }
  });

  it('explains why an id is refused', () => {
    expect(() => assertDocumentId('')).toThrow(/must not be empty/);
    expect(() => assertDocumentId('a\u0000')).toThrow(/NUL/);
    expect(() => assertDocumentId('\ud800')).toThrow(/lone surrogate/);
    expect(() => assertDocumentId('é'.repeat(257))).toThrow(/514/);
    expect(() => assertDocumentId(7)).toThrow(/must be a string/);
  });

  it('shows long or malformed ids safely in messages', () => {
    expect(() => assertDocumentId(`${'x'.repeat(600)}`)).toThrow(/x{80}…/);
    expect(() => assertDocumentId('a\ud800')).toThrow(/"a\uFFFD"/);
  });
});

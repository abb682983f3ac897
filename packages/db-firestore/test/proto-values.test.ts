// The low-level commits send fields encoded by `toProtoFields`: they must be the very
// messages the high-level client's serializer makes of the same fields, or a document
// written one way would read back, sort or match differently from one written the other.
import { Firestore, Timestamp } from '@google-cloud/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import { toFirestoreFields } from '../src/field-values';
import { toProtoFields } from '../src/proto-values';

// No request is made: only the client's serializer is used.
const firestore = new Firestore({ projectId: 'demo-proto', host: '127.0.0.1:1', ssl: false });
afterAll(() => firestore.terminate());

/** The high-level client's encoding (its serializer is internal: this test pins it). */
function asClientEncodes(fields: Record<string, unknown>): unknown {
  const serializer = (firestore as unknown as { _serializer: { encodeFields(f: object): unknown } })
    ._serializer;
  return serializer.encodeFields(fields);
}

describe('toProtoFields', () => {
  it('encodes every JSON value as the high-level client does', () => {
    const fields = toFirestoreFields({
      text: 'plain, é, 漢字, 🦊',
      empty: '',
      yes: true,
      no: false,
      nothing: null,
      integer: 42,
      negative: -7,
      zero: 0,
      largestSafe: Number.MAX_SAFE_INTEGER,
      beyondSafe: 2 ** 53,
      fraction: 1.5,
      tiny: 5e-324,
      huge: 1.7976931348623157e308,
      list: [1, 'two', null, { three: 3 }, []],
      nestedLists: [[1, 2], [[]]],
      emptyList: [],
      emptyMap: {},
      map: { inner: { deeper: [true, 0.25] }, '': 'empty name', __reserved__: 1, '~tilde': 2 },
    });
    expect(toProtoFields(fields)).toEqual(asClientEncodes(fields));
  });

  it('encodes -0 and Timestamps (the expiry) as the high-level client does', () => {
    const fields = {
      minusZero: -0,
      expiresAt: new Timestamp(1_798_322_996, 911_790_000),
      beforeEpoch: new Timestamp(-5, 0),
      atEpoch: new Timestamp(0, 0),
    };
    const encoded = toProtoFields(fields);
    expect(encoded).toEqual(asClientEncodes(fields));
    expect(Object.is((encoded.minusZero as { doubleValue: number }).doubleValue, -0)).toBe(true);
  });

  it('refuses what no stored document holds, naming it', () => {
    expect(() => toProtoFields({ when: new Date(0) })).toThrow(/\[object Date\]/);
    expect(() => toProtoFields({ big: 1n })).toThrow(/\[object BigInt\]/);
    expect(() => toProtoFields({ gone: undefined })).toThrow(/\[object Undefined\]/);
    expect(() => toProtoFields({ map: new Map() })).toThrow(/\[object Map\]/);
  });
});

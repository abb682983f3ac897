// The encodings and measures on their own, without a backend: these run even where the
// emulator jar is missing.

import { compareCodePoints, type JsonObject } from '@gofannon/db-core';
import { Timestamp } from '@google-cloud/firestore';
import { describe, expect, it } from 'vitest';
import { fromDocumentId, isValidDocumentId, toDocumentId } from '../src/document-ids';
import { documentSize, FIRESTORE_MAX_DOCUMENT_BYTES, mayBeTooLarge } from '../src/document-size';
import {
  fromFieldName,
  fromFirestoreFields,
  timestampToIso,
  toFieldName,
  toFirestoreFields,
} from '../src/field-values';
import { endpointOf } from '../src/reachability';
import { fromRevision, toRevision, writeTag } from '../src/revisions';

describe('document ids', () => {
  it('keeps plain ids, the Python service’s included, as they are', () => {
    for (const id of ['agent-1', 'user_42', 'ABC', 'a b', '~tilde', '%2F', 'e\u0301', '😀']) {
      expect(toDocumentId(id)).toBe(id);
      expect(fromDocumentId(id)).toBe(id);
    }
  });

  it('escapes what Firestore forbids, reversibly, within 1,500 bytes', () => {
    const escaped: Record<string, string> = {
      'a/b': 'a.~b',
      '.': '.!',
      '..': '.!.!',
      __x__: '`__x__',
      __proto__: '`__proto__',
      _all_docs: '`_all_docs',
      '`': '``',
      'a.!': 'a.!!',
    };
    for (const [id, stored] of Object.entries(escaped)) {
      expect(toDocumentId(id)).toBe(stored);
      expect(isValidDocumentId(stored)).toBe(true);
      expect(fromDocumentId(stored)).toBe(id);
    }
    expect(Buffer.byteLength(toDocumentId('/'.repeat(512)))).toBe(1024);
    expect(Buffer.byteLength(toDocumentId(`_${'.'.repeat(511)}`))).toBe(1024);
  });

  it('keeps the code-point order of ids in the stored ids, which Firestore orders by bytes', () => {
    // Every id of up to three characters around the escaped ones, and some far away.
    const alphabet = [
      '.',
      '/',
      '_',
      '`',
      '^',
      '!',
      '~',
      '-',
      '0',
      'a',
      'é',
      '\uFFFF',
      '\u{10000}',
      ' ',
    ];
    const ids: string[] = [];
    for (const a of alphabet) {
      ids.push(a);
      for (const b of alphabet) {
        ids.push(a + b);
        for (const c of alphabet) ids.push(a + b + c);
      }
    }
    ids.sort(compareCodePoints);
    const stored = ids.map(toDocumentId);
    stored.forEach((documentId, i) => {
      expect(isValidDocumentId(documentId)).toBe(true);
      expect(fromDocumentId(documentId)).toBe(ids[i]);
      if (i > 0) expect(compareCodePoints(stored[i - 1] as string, documentId)).toBeLessThan(0);
    });
  });

  it('returns an id written by another tool that is no escaping as it is', () => {
    for (const foreign of ['a.b', 'x.', '_x', '`x', 'a.!b.']) {
      expect(fromDocumentId(foreign)).toBe(foreign);
    }
  });

  it('knows which strings Firestore takes as document ids', () => {
    for (const bad of ['', 'a/b', '.', '..', '__x__', 'x'.repeat(1501), '\ud800']) {
      expect([bad.slice(0, 10), isValidDocumentId(bad)]).toEqual([bad.slice(0, 10), false]);
    }
    expect(isValidDocumentId('x'.repeat(1500))).toBe(true);
  });
});

describe('field names and values', () => {
  it('escapes the names Firestore forbids or the encoding uses, and nothing else', () => {
    const cases: Array<[string, string]> = [
      ['', '~'],
      ['__x__', '~__x__'],
      ['~', '~~'],
      ['~json', '~~json'],
      ['__', '__'],
      ['a.b', 'a.b'],
      ['$set', '$set'],
      ['k\u0000', 'k\u0000'],
    ];
    for (const [key, name] of cases) {
      expect(toFieldName(key)).toBe(name);
      expect(fromFieldName(name)).toBe(key);
    }
  });

  it('stores arrays inside arrays as JSON text, without adding a level', () => {
    const body = { m: [[1, 2], [3, [4]], 5, [], { in: [['deep']] }] };
    expect(toFirestoreFields(structuredClone(body))).toEqual({
      m: [
        { '~json': '[1,2]' },
        { '~json': '[3,[4]]' },
        5,
        { '~json': '[]' },
        { in: [{ '~json': '["deep"]' }] },
      ],
    });
    expect(fromFirestoreFields(toFirestoreFields(structuredClone(body)))).toEqual(body);
  });

  it('encodes and decodes in place, a renamed name never landing on one not yet visited', () => {
    const text =
      '{"": 1, "~": 2, "~~": 3, "__a__": 4, "~__a__": 5, "b": {"": [[6]], "~json": 7}, "c": 8}';
    const body = JSON.parse(text);
    const fields = toFirestoreFields(body);
    expect(fields).toBe(body);
    expect(fields).toEqual({
      '~': 1,
      '~~': 2,
      '~~~': 3,
      '~__a__': 4,
      '~~__a__': 5,
      b: { '~': [{ '~json': '[6]' }], '~~json': 7 },
      c: 8,
    });
    const back = fromFirestoreFields(fields);
    expect(back).toBe(fields);
    expect(back).toEqual(JSON.parse(text));
  });

  it('keeps "__proto__" a plain key both ways', () => {
    const text = '{"__proto__": {"x": 1}, "a": {"__proto__": 2}}';
    const body = JSON.parse(text);
    const fields = toFirestoreFields(body);
    // Firestore keeps a map's names in no order: a renamed one comes last.
    expect(Object.keys(fields).sort()).toEqual(['a', '~__proto__']);
    const back = fromFirestoreFields(fields);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'a']);
    expect(back).toEqual(JSON.parse(text));
  });

  it('turns a Timestamp into ISO-8601 with the digits it needs', () => {
    expect(timestampToIso(new Timestamp(1_705_314_600, 0))).toBe('2024-01-15T10:30:00.000Z');
    expect(timestampToIso(new Timestamp(1_705_314_600, 123_000_000))).toBe(
      '2024-01-15T10:30:00.123Z',
    );
    expect(timestampToIso(new Timestamp(1_705_314_600, 123_456_000))).toBe(
      '2024-01-15T10:30:00.123456Z',
    );
    expect(timestampToIso(new Timestamp(0, 1))).toBe('1970-01-01T00:00:00.000000001Z');
    expect(fromFirestoreFields({ at: new Timestamp(0, 0) })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('revisions', () => {
  it('are update times, read back exactly', () => {
    const time = new Timestamp(1_795_730_996, 911_790_000);
    expect(toRevision(time)).toBe('1795730996.911790000');
    const named = fromRevision('1795730996.911790000');
    expect(named?.updateTime.isEqual(time)).toBe(true);
    expect(named?.expiresAt).toBeUndefined();
  });

  it('carry the expiry of an expiring document, read back exactly', () => {
    const time = new Timestamp(1_795_730_996, 911_790_000);
    expect(toRevision(time, 1_798_322_996_000)).toBe('1795730996.911790000-1798322996000');
    const cases: Array<[Timestamp, number]> = [
      [time, 1_798_322_996_000],
      [time, 0],
      [time, 7],
      [new Timestamp(0, 1000), -5],
      // The expiries a stored Timestamp can hold, from 0001-01-01 to the end of 9999.
      [new Timestamp(253_402_300_799, 999_999_000), -62_135_596_800_000],
      [new Timestamp(1, 0), 253_402_300_799_999],
    ];
    for (const [updateTime, expiresAt] of cases) {
      const rev = toRevision(updateTime, expiresAt);
      const named = fromRevision(rev);
      expect([rev, named?.expiresAt]).toEqual([rev, expiresAt]);
      expect(named?.updateTime.isEqual(updateTime)).toBe(true);
      expect(rev.startsWith(`${toRevision(updateTime)}-`)).toBe(true);
    }
    expect(toRevision(new Timestamp(0, 1000), -5)).toBe('0.000001000--5');
  });

  it('anything else is no revision of ours', () => {
    for (const rev of [
      '',
      '1',
      '1.5',
      '01.000000000',
      '1.0000000001',
      '999999999999.000000000',
      'x.000000000',
      // No update time Firestore gives: finer than microseconds, or the zero time (the
      // emulator's version of a document that does not exist).
      '1.000000001',
      '1.000000010',
      '1.000000100',
      '0.000000000',
      '0.000000000-5',
      // The expiry part, tampered with or not as toRevision writes it.
      '1.000000000-',
      '1.000000000--',
      '1.000000000-01',
      '1.000000000--0',
      '1.000000000--01',
      '1.000000000-+5',
      '1.000000000-5x',
      '1.000000000-x5',
      '1.000000000-1.5',
      '1.000000000-1e3',
      '1.000000000- 5',
      '1.000000000-5-5',
      '1.000000000_5',
      '-5',
      // Beyond what a Timestamp holds.
      '1.000000000-253402300800000',
      '1.000000000--62135596800001',
      '1.000000000-9999999999999999',
    ]) {
      expect([rev, fromRevision(rev)]).toEqual([rev, undefined]);
    }
  });
});

describe('document size as Firestore counts it', () => {
  it('adds names, values and the document name', () => {
    // name: "c"+1, "d"+1, 16; fields: "s"+1 + "ab"+1, "n"+1 + 8, "b"+1 + 1, "m"+1 + ("x"+1 + null 1); 32
    expect(documentSize('c', 'd', { s: 'ab', n: 1, b: true, m: { x: null } })).toBe(
      2 + 2 + 16 + (2 + 3) + (2 + 8) + (2 + 1) + (2 + 3) + 32,
    );
    expect(documentSize('c', 'd', { a: [1, 'é'] })).toBe(20 + 2 + 8 + 3 + 32);
  });

  it('is counted for every document that could be over the limit, and only for those', () => {
    // The shapes Firestore counts most densely against their JSON, each made just over the
    // limit as Firestore counts it: mayBeTooLarge must say so from the JSON's length alone.
    const over = FIRESTORE_MAX_DOCUMENT_BYTES;
    const shapes: Array<(n: number) => JsonObject> = [
      (n) => ({ n: Array.from({ length: n }, () => 0) }),
      (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [i.toString(36), 0])),
      (n) => ({ a: Array.from({ length: n }, () => [0]) }),
      (n) => ({
        b: Array.from({ length: n }, () => true),
        z: Array.from({ length: n }, () => null),
      }),
      (n) => ({ s: Array.from({ length: n }, () => ''), e: Array.from({ length: n }, () => 'é') }),
      (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`__${i}__`, 0])),
    ];
    for (const shape of shapes) {
      let n = 1024;
      while (documentSize('c', 'd', fieldsOf(shape(n))) <= over) n *= 2;
      const body = shape(n);
      expect([n, mayBeTooLarge(Buffer.byteLength(JSON.stringify(body)), 'c', 'd')]).toEqual([
        n,
        true,
      ]);
    }
    // An ordinary document is not counted.
    const ordinary = { name: 'x'.repeat(10_000), tags: ['a', 'b'], n: 1 };
    expect(mayBeTooLarge(Buffer.byteLength(JSON.stringify(ordinary)), 'c', 'd')).toBe(false);
  });
});

/** The fields the adapter stores for a body, its write tag and expiry included. */
function fieldsOf(body: JsonObject): Record<string, unknown> {
  return {
    ...toFirestoreFields(body),
    _write: writeTag(),
    _expiresAt: Timestamp.fromMillis(0),
    _expiresMs: 0,
  };
}

describe('endpoint', () => {
  it('is the emulator, the configured host, or Google’s service', () => {
    expect(endpointOf({ host: 'x:1' }, { FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' })).toEqual({
      host: '127.0.0.1',
      port: 8080,
    });
    expect(endpointOf({ host: '[::1]:9000' }, {})).toEqual({ host: '::1', port: 9000 });
    expect(endpointOf({}, {})).toEqual({ host: 'firestore.googleapis.com', port: 443 });
    expect(endpointOf({ apiEndpoint: 'eu-firestore.example', port: 444 }, {})).toEqual({
      host: 'eu-firestore.example',
      port: 444,
    });
  });
});

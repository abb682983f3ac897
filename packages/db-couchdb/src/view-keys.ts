import { compareCodePoints, type JsonScalar, typeRank } from '@gofannon/db-core';

/** A key of an index view, or a bound of one: nested lists of scalars (see `find-view.ts`). */
export type ViewKey = ViewKeyPart[];
export type ViewKeyPart = JsonScalar | ViewKeyPart[];

/** A field's element of a view key: `[rank, value]`, as the map function emits it. */
export function fieldPart(value: JsonScalar): ViewKeyPart[] {
  return [typeRank(value), value];
}

/** The id's element of a view key, the last one. */
export function idPart(id: string): ViewKeyPart[] {
  return [id];
}

/**
 * Above every list in raw collation (binaries sort after lists): put after a key's
 * elements, it bounds everything that starts with them; put after an element's contents,
 * it bounds everything equal to it.
 */
export const ABOVE = '';

/**
 * Raw collation, as CouchDB applies it to these keys (Erlang term order): numbers <
 * atoms (`false` < `null` < `true`, by name) < lists < strings; numbers numerically,
 * strings by UTF-8 bytes (code points), lists element by element, a prefix first.
 * The adapter uses it to pick the tighter of two bounds, never to order documents.
 */
export function compareKeys(a: ViewKeyPart, b: ViewKeyPart): number {
  const byKind = kind(a) - kind(b);
  if (byKind !== 0) return byKind;
  if (Array.isArray(a)) {
    const other = b as ViewKeyPart[];
    for (let i = 0; i < Math.min(a.length, other.length); i++) {
      const byPart = compareKeys(a[i] as ViewKeyPart, other[i] as ViewKeyPart);
      if (byPart !== 0) return byPart;
    }
    return a.length - other.length;
  }
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return compareCodePoints(a, b as string);
  return compareCodePoints(String(a), String(b));
}

function kind(part: ViewKeyPart): number {
  if (typeof part === 'number') return 0;
  if (Array.isArray(part)) return 2;
  if (typeof part === 'string') return 3;
  return 1;
}

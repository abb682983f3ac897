/**
 * A deep copy of a value parsed from JSON (plain objects, arrays, strings, numbers, booleans,
 * null), with the same keys in the same order: what `JSON.parse(JSON.stringify(value))`
 * gives, about four times faster than parsing the text again (0.22 against 0.97 µs for an
 * agent of the HTTP bench) and ten times faster than `structuredClone`. A `"__proto__"` key
 * stays a plain own key, as JSON.parse makes it. For an adapter that keeps parsed documents
 * and hands out copies of them, and for `getMany`'s second copy of an id asked twice.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyJson(value[i]);
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const inner = copyJson((value as Record<string, unknown>)[key]);
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: inner,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else copy[key] = inner;
  }
  return copy as T;
}

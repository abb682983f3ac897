import type { ListPage } from '@gofannon/db-core';
import { expect } from 'vitest';

/** A small document with a recognisable value. */
export function sampleDoc(n: number): {
  name: string;
  n: number;
  tags: string[];
  nested: { ok: boolean };
} {
  return { name: `doc ${n}`, n, tags: ['a', `t${n % 7}`], nested: { ok: n % 2 === 0 } };
}

/** saveMany items for `ids`, the first one holding `sampleDoc(first)`, the next `first + 1`... */
export function sampleItems(
  ids: readonly string[],
  first = 0,
): Array<{ id: string; doc: ReturnType<typeof sampleDoc> }> {
  return ids.map((id, i) => ({ id, doc: sampleDoc(first + i) }));
}

/** Ids `prefix-00000` ... in a width that sorts the same as numbers. */
export function numberedIds(count: number, prefix = 'doc'): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(width, '0')}`);
}

/** Ids every adapter must store and return unchanged, including those backends reserve. */
export const HOSTILE_IDS: readonly string[] = [
  'a/b',
  '/leading-slash',
  'trailing-slash/',
  '.',
  '..',
  '../escape',
  '_design/x',
  '_local/x',
  '_all_docs',
  '__x__',
  '_',
  '-',
  '%2F',
  '%',
  'a%20b',
  'a?b=c',
  'a#b',
  'a&b',
  'a+b',
  ' ',
  ' leading and trailing spaces ',
  'tab\there',
  'new\nline',
  'back\\slash',
  '"quoted"',
  "it's",
  '<tag>',
  '$dollar',
  'dotted.id.name',
  '~tilde',
  'Case',
  'case',
  'é',
  'e\u0301',
  '日本語',
  'emoji 😀',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'CON',
  '😀'.repeat(128),
  'x'.repeat(512),
];

/** Passes a value of the wrong type the way an untyped caller would. */
// biome-ignore lint/suspicious/noExplicitAny: the point is to bypass the types
export const untyped = (value: unknown): any => value;

/** The size of each page and whether a cursor followed it: "10+, 10+, 3" ("+": a cursor). */
export function pageShape(pages: readonly ListPage[]): string {
  return pages
    .map((page) => `${page.documents.length}${page.nextCursor === null ? '' : '+'}`)
    .join(', ');
}

/**
 * Reads pages with `read`, passing each `nextCursor` back until it is null, and calls
 * `between` after each page; returns the pages. Checks each page's size against `limit`.
 */
export async function followCursors(
  read: (cursor: string | null) => Promise<ListPage>,
  limit: number,
  between: (page: ListPage) => Promise<void> = async () => {},
): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  let cursor: string | null = null;
  do {
    const page: ListPage = await read(cursor);
    expect(
      page.documents.length,
      `page ${pages.length + 1} of at most ${limit}`,
    ).toBeLessThanOrEqual(limit);
    pages.push(page);
    cursor = page.nextCursor;
    if (cursor !== null) expect(typeof cursor).toBe('string');
    await between(page);
    // A walk that never ends is a broken cursor: end it here rather than at the time limit.
    expect(pages.length, 'pages of one walk').toBeLessThan(10_000);
  } while (cursor !== null);
  return pages;
}

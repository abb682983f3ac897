import type { DatabaseService, ListPage, Query, StoredDocument } from '@gofannon/db-core';
import { expect } from 'vitest';
import { describeValue, eventually } from './expectations';
import { followCursors } from './fixtures';
import type { CaseContext } from './harness';

/** Saves `{ id: doc }` in batches and fails on any item that did not save. */
export async function saveAll(
  service: DatabaseService,
  collection: string,
  docs: Record<string, object>,
): Promise<void> {
  const items = Object.entries(docs).map(([id, doc]) => ({ id, doc }));
  for (let start = 0; start < items.length; start += 500) {
    const results = await service.saveMany(collection, items.slice(start, start + 500));
    expect(results.filter((result) => 'error' in result)).toEqual([]);
  }
}

/** Follows a query's `nextCursor` to the end, calling `between` after each page. */
export async function findPages(
  service: DatabaseService,
  collection: string,
  query: Query,
  between: (page: ListPage) => Promise<void> = async () => {},
): Promise<ListPage[]> {
  return followCursors(
    (cursor) => service.find(collection, { ...query, cursor }),
    query.limit ?? 100,
    between,
  );
}

/** The ids a whole walk of the query yields, in order. */
export async function findIds(
  service: DatabaseService,
  collection: string,
  query: Query,
): Promise<string[]> {
  const pages = await findPages(service, collection, query);
  return pages.flatMap((page) => page.documents.map((doc: StoredDocument) => doc._id));
}

/** Asserts the walk of `query` yields exactly these ids, in this order. */
export async function expectFound(
  service: DatabaseService,
  collection: string,
  query: Query,
  ids: readonly string[],
): Promise<void> {
  expect(await findIds(service, collection, query), `ids found by ${describeValue(query)}`).toEqual(
    ids,
  );
}

/** Asserts the walk of `query` yields exactly these ids, in any order. */
export async function expectFoundSet(
  service: DatabaseService,
  collection: string,
  query: Query,
  ids: readonly string[],
): Promise<void> {
  const found = await findIds(service, collection, query);
  expect(found.sort(), `ids found by ${describeValue(query)}`).toEqual([...ids].sort());
}

/**
 * Runs a check of query results after writes: at once where the adapter reads its own
 * writes, else again and again until the bound it declares in
 * `capabilities.queries.convergenceMs` has passed.
 */
export async function afterWrites(
  { service }: CaseContext,
  check: () => Promise<unknown>,
): Promise<void> {
  const queries = service.capabilities.queries;
  if (queries === undefined || queries.consistent) await check();
  else await eventually(check, queries.convergenceMs);
}

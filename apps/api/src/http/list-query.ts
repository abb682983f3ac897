import type { JsonScalar, Query, WhereClause } from '@gofannon/db-core';

/** The query string of `GET /{collection}` after its schema checked it. */
export interface ListQuery {
  limit: number;
  cursor?: string;
  sort?: string;
  /** The filters: declared fields by dot path, each with one value. */
  [field: string]: JsonScalar | undefined;
}

/** The database query a listing asks for: its filters ANDed, its sort, its page. */
export function findQueryOf(list: ListQuery): Query {
  const { limit, cursor, sort, ...filters } = list;
  const where = Object.entries(filters)
    .filter((entry): entry is [string, JsonScalar] => entry[1] !== undefined)
    .map(([field, value]): WhereClause => [field, '==', value]);
  const query: Query = { where, limit, cursor: cursor ?? null };
  if (sort !== undefined) {
    query.orderBy = sort.startsWith('-')
      ? { field: sort.slice(1), direction: 'desc' }
      : { field: sort, direction: 'asc' };
  }
  return query;
}

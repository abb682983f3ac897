import type { StoredDocument } from '../types';

/** A JSON value a query compares: what a where clause and a sort position hold. */
export type JsonScalar = null | boolean | number | string;

/** The comparison of a where clause. */
export type QueryOperator = '==' | 'in' | '<' | '<=' | '>' | '>=';

/** One condition: a dot path, an operator and a scalar (1 to 30 of them for `in`). */
export type WhereClause = [field: string, op: QueryOperator, value: JsonScalar | JsonScalar[]];

/** Which way a query is sorted. */
export type SortDirection = 'asc' | 'desc';

/** Options of {@link DatabaseService.find}; every part is optional. */
export interface Query {
  /** Conditions that must all hold. */
  where?: WhereClause[];
  /** One field to sort by, ascending unless `direction` says otherwise; ties by `_id`. */
  orderBy?: { field: string; direction?: SortDirection };
  /** Page size, 1 to 1000; 100 when absent. */
  limit?: number;
  /** The `nextCursor` of the previous page of this same query. */
  cursor?: string | null;
  /** Refuse with 400 `index_required` when no index made by `ensureIndex` serves the query. */
  requireIndex?: boolean;
}

/** Argument of {@link DatabaseService.ensureIndex}: the fields of one index, in index order. */
export interface IndexDefinition {
  fields: string[];
}

/** A validated where clause: `value` is an array for `in` only. */
export interface Condition {
  readonly field: string;
  readonly op: QueryOperator;
  readonly value: JsonScalar | readonly JsonScalar[];
}

/**
 * The order a query's results come in. Core derives it for every query, so that every
 * adapter pages the same way: the `orderBy` field, else the range field ascending, else
 * `_id` ascending. Ties are broken by `_id` in the same direction.
 */
export interface QueryOrder {
  readonly field: string;
  readonly direction: SortDirection;
}

/** Where a walk stands: the sort value and id of the last document handed out. */
export interface QueryPosition {
  readonly value: JsonScalar;
  readonly id: string;
}

/**
 * One page of a query, as core hands it to an adapter's `_find`: valid, with its order
 * decided, its cursor decoded, and the index that serves it chosen by core's one rule.
 */
export interface FindRequest {
  readonly where: readonly Condition[];
  readonly order: QueryOrder;
  /** Return only documents strictly after this position in `order`; `null`: from the start. */
  readonly after: QueryPosition | null;
  readonly limit: number;
  /** The fields of the `ensureIndex`'d index that serves the query; absent when none does. */
  readonly index?: readonly string[];
}

/** What an adapter's `_find` returns: up to `limit` documents in order, and whether more follow. */
export interface BackendFindPage {
  documents: StoredDocument[];
  more: boolean;
}

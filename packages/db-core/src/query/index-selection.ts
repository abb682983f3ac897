import type { Condition, QueryOrder } from './types';

/**
 * What an index needs to serve a query, by the one rule every adapter shares: the
 * equality fields (`==` and `in`, in any order among themselves), then the order field,
 * which is also the range field. `_id` never needs to be indexed: every index ends with
 * it as the tie-break, and conditions on it are checked on the index entries.
 */
export interface IndexShape {
  readonly equality: readonly string[];
  readonly order?: string;
}

/** The shape of index a query needs. */
export function indexShape(where: readonly Condition[], order: QueryOrder): IndexShape {
  const equality = [
    ...new Set(
      where
        .filter((c) => (c.op === '==' || c.op === 'in') && c.field !== '_id')
        .map((c) => c.field),
    ),
  ];
  const sorted = order.field !== '_id' && !equality.includes(order.field);
  return sorted ? { equality, order: order.field } : { equality };
}

/** True when the collection's own id order serves the query: no field but `_id` is involved. */
export function servedByPrimaryKey(shape: IndexShape): boolean {
  return shape.equality.length === 0 && shape.order === undefined;
}

/** The first of `indexes` (each a list of fields) that serves a query of this shape. */
export function selectIndex(
  shape: IndexShape,
  indexes: Iterable<readonly string[]>,
): readonly string[] | undefined {
  for (const fields of indexes) if (serves(fields, shape)) return fields;
  return undefined;
}

function serves(fields: readonly string[], { equality, order }: IndexShape): boolean {
  const prefix = fields.slice(0, equality.length);
  if (fields.length !== equality.length + (order === undefined ? 0 : 1)) return false;
  if (order !== undefined && fields.at(-1) !== order) return false;
  return equality.every((field) => prefix.includes(field));
}

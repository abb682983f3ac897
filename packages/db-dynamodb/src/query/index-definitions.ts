import { createHash } from 'node:crypto';
import {
  isScalar,
  type JsonObject,
  type JsonScalar,
  ValidationError,
  valueAtPath,
} from '@gofannon/db-core';
import type { Item } from '../attribute-values';
import { PARTITION_KEY_CODE_POINTS, SORT_KEY_CODE_POINTS, scalarKey } from './index-keys';

/**
 * One `ensureIndex` index as a global secondary index. Its key attributes are written by
 * the adapter beside the document's own fields (a GSI key attribute must have one type on
 * every item, a document field need not):
 *
 * - partition key: the keys of every field but the last, one after another (each ends
 *   with its end mark, so the concatenation is unambiguous), or `*` for one field;
 * - sort key: the key of the last field, then the id, the tie-break of every order.
 *
 * An item whose value at any of the fields is no scalar gets no key attributes, so it is
 * not in the index: such items match no condition and have no place in an order.
 */
export interface GlobalIndex {
  /** The index's name: derived from its fields only, the same in every process. */
  readonly name: string;
  readonly fields: readonly string[];
  readonly partitionAttribute: string;
  readonly sortAttribute: string;
}

/** Every name and attribute of ours starts so; documents cannot have top-level `_` fields. */
export const SHADOW_PREFIX = '_gq';
/** Bumped whenever the keys change: an index of older keys is another index. */
const KEY_VERSION = '1';
const NAME_PREFIX = `gq${KEY_VERSION}.`;
/** DynamoDB's longest index name. */
const MAX_INDEX_NAME = 255;
const NO_PARTITION = '*';

/**
 * The index of these fields. Its name carries the fields themselves (base64url of their
 * JSON), so any process that finds the index on the table knows what to write for it.
 */
export function globalIndex(fields: readonly string[], collection?: string): GlobalIndex {
  const name = `${NAME_PREFIX}${Buffer.from(JSON.stringify(fields)).toString('base64url')}`;
  if (name.length > MAX_INDEX_NAME) {
    throw new ValidationError(
      `Invalid index: DynamoDB index names hold at most ${MAX_INDEX_NAME} characters, and the names of these fields need ${name.length}; use shorter field paths`,
      { collection, path: '/fields' },
    );
  }
  const hash = createHash('sha256').update(name).digest('base64url').slice(0, 16);
  return {
    name,
    fields,
    partitionAttribute: `${SHADOW_PREFIX}${hash}p`,
    sortAttribute: `${SHADOW_PREFIX}${hash}s`,
  };
}

/** The index a GSI name stands for, or `undefined` for an index that is not ours. */
export function indexOfName(name: string): GlobalIndex | undefined {
  if (!name.startsWith(NAME_PREFIX)) return undefined;
  try {
    const fields: unknown = JSON.parse(
      Buffer.from(name.slice(NAME_PREFIX.length), 'base64url').toString('utf8'),
    );
    if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string')) {
      return undefined;
    }
    return globalIndex(fields);
  } catch {
    return undefined;
  }
}

/** Whether an attribute is one the adapter writes for its indexes, never shown to callers. */
export function isShadowAttribute(name: string): boolean {
  return name.startsWith(SHADOW_PREFIX);
}

/** The partition key of these values of every field but the last. */
export function partitionKey(values: readonly JsonScalar[]): string {
  if (values.length === 0) return NO_PARTITION;
  return values.map((value) => scalarKey(value, PARTITION_KEY_CODE_POINTS)).join('');
}

/** The sort key of the last field's value and the id. */
export function sortKey(value: JsonScalar, id: string): string {
  return `${scalarKey(value, SORT_KEY_CODE_POINTS)}${id}`;
}

/**
 * The key attributes of a document for these indexes, set on `item`. A value at `_id`
 * is the id itself.
 */
export function addIndexKeys(
  item: Item,
  id: string,
  body: JsonObject,
  indexes: readonly GlobalIndex[],
): Item {
  for (const index of indexes) {
    const values: JsonScalar[] = [];
    for (const field of index.fields) {
      const value = field === '_id' ? id : valueAtPath(body, field);
      if (!isScalar(value)) break;
      values.push(value);
    }
    if (values.length !== index.fields.length) continue;
    item[index.partitionAttribute] = { S: partitionKey(values.slice(0, -1)) };
    item[index.sortAttribute] = { S: sortKey(values.at(-1) as JsonScalar, id) };
  }
  return item;
}

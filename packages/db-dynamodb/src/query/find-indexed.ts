import {
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  type BackendFindPage,
  compareCodePoints,
  type FindCandidate,
  type FindRequest,
  isAfter,
  matchesWhere,
  pageOfCandidates,
  positionOf,
} from '@gofannon/db-core';
import type { Item } from '../attribute-values';
import { toDocument } from '../items';
import { ID } from '../revisions';
import { ExpressionParts } from './expressions';
import type { GlobalIndex } from './index-definitions';
import { isCut, SORT_KEY_CODE_POINTS, scalarKey } from './index-keys';
import { type IndexSlice, indexSlices } from './index-slices';

/** Most slices (combinations of `in` values) one page reads; more go to a Scan. */
export const MAX_SLICES = 256;
/** Slices read at once. */
const SLICES_IN_FLIGHT = 8;
/** Items asked for at a time while reading the rest of a cut string's block. */
const BLOCK_STEP = 100;
/** Most items one Query request asks for. */
const MAX_QUERY_LIMIT = 1000;

type Bounded = <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/**
 * One page of a query from its global secondary index: each slice read in index order
 * until it holds a page of matches (DynamoDB applies `Limit` before anything else, and
 * cursor or cut-string bounds may let a few non-matches in), the slices merged in the
 * query's order by core's rules. `undefined` when the query needs too many slices.
 */
export async function findIndexed(
  client: DynamoDBClient,
  table: string,
  index: GlobalIndex,
  request: FindRequest,
  bounded: Bounded,
): Promise<BackendFindPage | undefined> {
  const slices = indexSlices(index, request, MAX_SLICES);
  if (slices === undefined) return undefined;
  const candidates: FindCandidate[] = [];
  for (let start = 0; start < slices.length; start += SLICES_IN_FLIGHT) {
    const found = await Promise.all(
      slices
        .slice(start, start + SLICES_IN_FLIGHT)
        .map((slice) => readSlice(client, table, index, slice, request, bounded)),
    );
    for (const each of found) candidates.push(...each);
  }
  return pageOfCandidates(candidates, request);
}

/**
 * The first `limit + 1` matches of one slice in index order. Where the slice is sorted by
 * value and its last match has a cut string, the rest of that block is read too: inside a
 * block the index orders by id, so a later item may come first by value.
 */
async function readSlice(
  client: DynamoDBClient,
  table: string,
  index: GlobalIndex,
  slice: IndexSlice,
  request: FindRequest,
  bounded: Bounded,
): Promise<FindCandidate[]> {
  const { where, order, after } = request;
  if (isEmptySlice(slice) || isPastSlice(slice, order.direction === 'asc')) return [];
  const wanted = request.limit + 1;
  const input = sliceQuery(table, index, slice, order.direction === 'asc');
  const found: FindCandidate[] = [];
  let openBlock: string | undefined;
  let startKey: Item | undefined =
    slice.after === undefined ? undefined : startAfter(index, slice, after?.id as string);
  // Where the bounds hold the cursor's own item (a cut block read again), one more.
  const reread = after !== null && slice.after === undefined ? 1 : 0;
  do {
    // Reading on through a cut block, larger steps.
    const missing = wanted - found.length;
    input.Limit = Math.min(MAX_QUERY_LIMIT, missing > 0 ? missing + reread : BLOCK_STEP);
    input.ExclusiveStartKey = startKey;
    const reply = await bounded((signal) =>
      client.send(new QueryCommand(input), { abortSignal: signal }),
    );
    let leftBlock = false;
    for (const item of reply.Items ?? []) {
      const doc = toDocument(item);
      const position = positionOf(doc, order);
      if (position === undefined) continue;
      if (
        openBlock !== undefined &&
        scalarKey(position.value, SORT_KEY_CODE_POINTS) !== openBlock
      ) {
        leftBlock = true;
      }
      if (isAfter(position, after, order) && matchesWhere(doc, where)) {
        found.push({ doc, position });
      }
    }
    startKey = reply.LastEvaluatedKey;
    if (found.length < wanted) continue;
    if (openBlock === undefined) {
      const last = (found.at(-1) as FindCandidate).position.value;
      if (!slice.sortedByValue || !isCut(last, SORT_KEY_CODE_POINTS)) break;
      openBlock = scalarKey(last, SORT_KEY_CODE_POINTS);
    } else if (leftBlock) break;
  } while (startKey !== undefined);
  return found;
}

function sliceQuery(
  table: string,
  index: GlobalIndex,
  slice: IndexSlice,
  ascending: boolean,
): QueryCommandInput {
  const parts = new ExpressionParts();
  const conditions = [
    `${parts.path(index.partitionAttribute)} = ${parts.value({ S: slice.partition })}`,
  ];
  const { low, high } = slice;
  const sort = low === undefined && high === undefined ? '' : parts.path(index.sortAttribute);
  if (low !== undefined && high !== undefined) {
    conditions.push(`${sort} BETWEEN ${parts.value({ S: low })} AND ${parts.value({ S: high })}`);
  } else if (low !== undefined) conditions.push(`${sort} >= ${parts.value({ S: low })}`);
  else if (high !== undefined) conditions.push(`${sort} <= ${parts.value({ S: high })}`);
  return {
    TableName: table,
    IndexName: index.name,
    KeyConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: parts.names,
    ExpressionAttributeValues: parts.values,
    ScanIndexForward: ascending,
  };
}

/** The key to read a slice on from: its partition, the cursor's sort key and id. */
function startAfter(index: GlobalIndex, slice: IndexSlice, id: string): Item {
  return {
    [index.partitionAttribute]: { S: slice.partition },
    [index.sortAttribute]: { S: slice.after as string },
    [ID]: { S: id },
  };
}

/**
 * Whether the cursor lies beyond the slice's bounds (DynamoDB refuses a start key outside
 * the key condition): nothing of the slice is left after it.
 */
function isPastSlice({ low, high, after }: IndexSlice, ascending: boolean): boolean {
  if (after === undefined) return false;
  if (ascending) return high !== undefined && compareCodePoints(after, high) >= 0;
  return low !== undefined && compareCodePoints(after, low) <= 0;
}

/** Whether a slice's bounds leave no room for any key (DynamoDB refuses BETWEEN a high low). */
function isEmptySlice({ low, high }: IndexSlice): boolean {
  return low !== undefined && high !== undefined && compareCodePoints(low, high) > 0;
}

import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@gofannon/db-core';
import type { Item } from './attribute-values';
import { backoff } from './backoff';

/** Rounds of retrying what DynamoDB left unprocessed before giving up with 503. */
const MAX_ROUNDS = 10;

/** DynamoDB's limits per request. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

/**
 * Reads up to 100 keys of one table with BatchGetItem, strongly consistent, retrying the
 * keys DynamoDB leaves unprocessed (under throttling) with backoff. Items come back in no
 * particular order.
 */
export async function batchGet(
  client: DynamoDBClient,
  table: string,
  request: KeysAndAttributes,
): Promise<Item[]> {
  const found: Item[] = [];
  let pending: KeysAndAttributes | undefined = { ...request, ConsistentRead: true };
  for (let round = 1; pending?.Keys?.length; round++) {
    if (round > 1) await tooManyRounds(round, table);
    const reply: BatchGetItemCommandOutput = await client.send(
      new BatchGetItemCommand({ RequestItems: { [table]: pending } }),
    );
    for (const item of reply.Responses?.[table] ?? []) found.push(item);
    pending = reply.UnprocessedKeys?.[table];
  }
  return found;
}

/**
 * Writes up to 25 puts or deletes to one table with BatchWriteItem, retrying what
 * DynamoDB leaves unprocessed with backoff.
 */
export async function batchWrite(
  client: DynamoDBClient,
  table: string,
  requests: WriteRequest[],
): Promise<void> {
  let pending: WriteRequest[] | undefined = requests;
  for (let round = 1; pending?.length; round++) {
    if (round > 1) await tooManyRounds(round, table);
    const reply: BatchWriteItemCommandOutput = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
    );
    pending = reply.UnprocessedItems?.[table];
  }
}

async function tooManyRounds(round: number, table: string): Promise<void> {
  if (round > MAX_ROUNDS) {
    throw new UnavailableError(
      `DynamoDB kept leaving items of ${table} unprocessed (throttled) after ${MAX_ROUNDS} rounds`,
    );
  }
  await backoff(round - 1);
}

/** Splits a list into pieces of at most `size`. */
export function inPieces<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    pieces.push(items.slice(start, start + size));
  }
  return pieces;
}

import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type RetryPolicy, UnavailableError } from '@gofannon/db-core';
import { RETRY, retry } from '@gofannon/db-core/adapter';
import type { Item } from './attribute-values';

/** DynamoDB's limits per request. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

/** The call's signal and the service's retry policy, for the rounds of a batch request. */
export interface Rounds {
  signal: AbortSignal;
  policy: Readonly<RetryPolicy>;
}

/**
 * Reads up to 100 keys of one table with BatchGetItem, strongly consistent, retrying the
 * keys DynamoDB leaves unprocessed (under throttling) by the retry policy. Items come back
 * in no particular order.
 */
export async function batchGet(
  client: DynamoDBClient,
  table: string,
  request: KeysAndAttributes,
  rounds: Rounds,
): Promise<Item[]> {
  const found: Item[] = [];
  let pending: KeysAndAttributes = { ...request, ConsistentRead: true };
  await retry(retrying(rounds, table), async () => {
    const reply: BatchGetItemCommandOutput = await client.send(
      new BatchGetItemCommand({ RequestItems: { [table]: pending } }),
      { abortSignal: rounds.signal },
    );
    for (const item of reply.Responses?.[table] ?? []) found.push(item);
    const unprocessed = reply.UnprocessedKeys?.[table];
    if (!unprocessed?.Keys?.length) return undefined;
    pending = unprocessed;
    return RETRY;
  });
  return found;
}

/**
 * Writes up to 25 puts or deletes to one table with BatchWriteItem, retrying what
 * DynamoDB leaves unprocessed by the retry policy.
 */
export async function batchWrite(
  client: DynamoDBClient,
  table: string,
  requests: WriteRequest[],
  rounds: Rounds,
): Promise<void> {
  let pending = requests;
  await retry(retrying(rounds, table), async () => {
    const reply: BatchWriteItemCommandOutput = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
      { abortSignal: rounds.signal },
    );
    const unprocessed = reply.UnprocessedItems?.[table];
    if (!unprocessed?.length) return undefined;
    pending = unprocessed;
    return RETRY;
  });
}

function retrying({ signal, policy }: Rounds, table: string) {
  return {
    signal,
    policy,
    exhausted: () =>
      new UnavailableError(
        `DynamoDB kept leaving items of ${table} unprocessed (throttled) after ${policy.maxAttempts} rounds`,
      ),
  };
}

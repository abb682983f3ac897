import {
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type JsonObject, type JsonScalar, valueAtPath } from '@gofannon/db-core';
import { fromAttributeMap, type Item } from '../attribute-values';
import { isConditionFailure } from '../dynamodb-errors';
import { idOf, keyOf, NOT_FIELDS } from '../items';
import { ID, REV } from '../revisions';
import { ExpressionParts, whereText } from './expressions';
import { addIndexKeys, type GlobalIndex } from './index-definitions';

/** Items updated at once while backfilling one Scan page: each request listens to the call's signal, and Node warns past 10 listeners. */
const UPDATES_IN_FLIGHT = 8;

/**
 * Gives every item of `table` that lacks them the key attributes of `index`: the items
 * written before the index existed, by this adapter or by the Python service. Each update
 * is conditional on the item being as it was read (its revision; for an item without one,
 * the indexed values), so a concurrent write is never undone, and a write after the
 * backfill began carries the keys itself (see `IndexCatalog`). Updates leave the revision
 * alone: the keys are no content.
 *
 * Bounded by `signal`; where it stops, `progress` keeps the Scan's position, and the next
 * call for the same table and index continues from there.
 */
export async function backfill(
  client: DynamoDBClient,
  table: string,
  index: GlobalIndex,
  progress: Map<string, Item | undefined>,
  signal: AbortSignal,
): Promise<void> {
  const key = JSON.stringify([table, index.name]);
  let startKey = progress.get(key);
  do {
    const reply = await client.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
        FilterExpression: 'attribute_not_exists(#sort)',
        ExpressionAttributeNames: { '#sort': index.sortAttribute },
      }),
      { abortSignal: signal },
    );
    const items = reply.Items ?? [];
    for (let start = 0; start < items.length; start += UPDATES_IN_FLIGHT) {
      await Promise.all(
        items
          .slice(start, start + UPDATES_IN_FLIGHT)
          .map((item) => addKeys(client, table, index, item, signal)),
      );
    }
    startKey = reply.LastEvaluatedKey;
    progress.set(key, startKey);
  } while (startKey !== undefined);
  progress.delete(key);
}

async function addKeys(
  client: DynamoDBClient,
  table: string,
  index: GlobalIndex,
  item: Item,
  signal: AbortSignal,
): Promise<void> {
  const id = idOf(item);
  const body = fromAttributeMap(item, NOT_FIELDS);
  const keys = addIndexKeys({}, id, body, [index]);
  const partition = keys[index.partitionAttribute];
  const sort = keys[index.sortAttribute];
  // No scalar at one of the fields: the item is not in the index.
  if (partition === undefined || sort === undefined) return;
  const parts = new ExpressionParts();
  const update = `SET ${parts.path(index.partitionAttribute)} = ${parts.value(partition)}, ${parts.path(index.sortAttribute)} = ${parts.value(sort)}`;
  const input: UpdateItemCommandInput = {
    TableName: table,
    Key: keyOf(id),
    UpdateExpression: update,
    ConditionExpression: unchanged(parts, item, index, body),
    ExpressionAttributeNames: parts.names,
    ExpressionAttributeValues: parts.values,
  };
  try {
    await client.send(new UpdateItemCommand(input), { abortSignal: signal });
  } catch (error) {
    // Written or deleted since it was read: that write took care of the keys.
    if (!isConditionFailure(error)) throw error;
  }
}

/** The condition that the item is still as read: same revision, or same indexed values. */
function unchanged(
  parts: ExpressionParts,
  item: Item,
  index: GlobalIndex,
  body: JsonObject,
): string {
  const rev = item[REV]?.S;
  if (rev !== undefined) return `${parts.path(REV)} = ${parts.value({ S: rev })}`;
  // Written by another tool, without a revision: the values the keys were made of.
  const values = whereText(
    parts,
    index.fields
      .filter((field) => field !== ID)
      .map((field) => ({
        field,
        op: '==' as const,
        value: valueAtPath(body, field) as JsonScalar,
      })),
  );
  return [`attribute_exists(${parts.path(ID)})`, `attribute_not_exists(${parts.path(REV)})`]
    .concat(values === undefined ? [] : [values])
    .join(' AND ');
}

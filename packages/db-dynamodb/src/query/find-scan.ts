import { type DynamoDBClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { type BackendFindPage, type FindRequest, findByScan } from '@gofannon/db-core';
import type { Item } from '../attribute-values';
import { isMissingTable } from '../dynamodb-errors';
import { toDocument } from '../items';
import { ExpressionParts, whereText } from './expressions';

type Bounded = <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/**
 * One page of a query no index serves: a strongly consistent Scan of the whole table
 * (read-after-write) with the conditions as a FilterExpression, so only likely matches
 * travel, then core's `findByScan` checks, orders and cuts them with the shared rules.
 * DynamoDB has no order by id to page by, so every page reads the table to its end.
 */
export async function findByTableScan(
  client: DynamoDBClient,
  table: string,
  request: FindRequest,
  bounded: Bounded,
): Promise<BackendFindPage> {
  const parts = new ExpressionParts();
  const filter = whereText(parts, request.where);
  const input: ScanCommandInput = {
    TableName: table,
    ConsistentRead: true,
    ...(filter !== undefined && {
      FilterExpression: filter,
      ExpressionAttributeNames: parts.names,
      ExpressionAttributeValues: parts.values,
    }),
  };
  return findByScan(async (after) => {
    const startKey = after === null ? undefined : (JSON.parse(after) as Item);
    try {
      const reply = await bounded((signal) =>
        client.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }), {
          abortSignal: signal,
        }),
      );
      return {
        documents: (reply.Items ?? []).map(toDocument),
        next: reply.LastEvaluatedKey ? JSON.stringify(reply.LastEvaluatedKey) : null,
      };
    } catch (error) {
      // Reads create nothing: no table, no documents.
      if (isMissingTable(error)) return { documents: [], next: null };
      throw error;
    }
  }, request);
}

import { type DynamoDBClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import type { Item } from './attribute-values';

/** What one stretch of scanning found, and where DynamoDB stopped (undefined: at the end). */
export interface ScanResult {
  items: Item[];
  lastKey: Item | undefined;
}

/**
 * Scans one table, strongly consistent (a write that finished before is seen), from
 * `startKey` until at least `wanted` items are read or the table ends. DynamoDB stops each
 * Scan at 1 MB, so a page of large items takes several requests.
 */
export async function scanFrom(
  client: DynamoDBClient,
  table: string,
  startKey: Item | undefined,
  wanted: number,
  signal: AbortSignal,
): Promise<ScanResult> {
  const items: Item[] = [];
  let lastKey = startKey;
  do {
    const reply = await client.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        Limit: wanted - items.length,
        ExclusiveStartKey: lastKey,
      }),
      { abortSignal: signal },
    );
    for (const item of reply.Items ?? []) items.push(item);
    lastKey = reply.LastEvaluatedKey;
  } while (lastKey !== undefined && items.length < wanted);
  return { items, lastKey };
}

/**
 * Reads a whole table as `segments` parallel Scans, each following its own pages. Every
 * request goes through `bounded`, which applies the service's time limit to it.
 */
export async function parallelScan(
  client: DynamoDBClient,
  table: string,
  segments: number,
  bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
): Promise<Item[][]> {
  const segment = async (index: number): Promise<Item[]> => {
    const items: Item[] = [];
    let lastKey: Item | undefined;
    do {
      const input: ScanCommandInput = {
        TableName: table,
        ConsistentRead: true,
        Segment: index,
        TotalSegments: segments,
        ExclusiveStartKey: lastKey,
      };
      const reply = await bounded((signal) =>
        client.send(new ScanCommand(input), { abortSignal: signal }),
      );
      for (const item of reply.Items ?? []) items.push(item);
      lastKey = reply.LastEvaluatedKey;
    } while (lastKey !== undefined);
    return items;
  };
  return Promise.all(Array.from({ length: segments }, (_, index) => segment(index)));
}

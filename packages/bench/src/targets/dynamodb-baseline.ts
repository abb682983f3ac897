import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { JsonObject, ListPage, SaveManyItem, StoredDocument } from '@gofannon/db-core';
import type { BenchTarget } from './bench-target';

/**
 * DynamoDB done by hand with a raw `DynamoDBDocumentClient` (the SDK version the adapter
 * uses): one on-demand table per collection with the string hash key `_id`, created up
 * front, the document's fields as attributes beside `_id` and a `_rev` from
 * `randomUUID()`. One plain request per operation; no validation, timeouts, error mapping
 * or table creation on demand.
 *
 * - `get`: `GetItem`, strongly consistent
 * - `save`: `PutItem`
 * - `saveIfRev`: `PutItem` with `#rev = :rev` as its condition
 * - `delete`: `DeleteItem` with `attribute_exists(_id)` as its condition
 * - `listPage`: a strongly consistent `Scan` of `limit + 1` items from the last id of the
 *   previous page; the extra item only says whether there is a next page, as the adapter does
 * - `getMany`: one `BatchGetItem` (up to 100 keys), unprocessed keys sent again
 * - `saveMany`: `BatchWriteItem`s of 25 puts, all sent at once, unprocessed items sent again
 */
export class DynamoDbBaseline implements BenchTarget {
  readonly #client: DynamoDBClient;
  readonly #documents: DynamoDBDocumentClient;
  readonly #tables = new Map<string, string>();

  private constructor(config: DynamoDBClientConfig) {
    this.#client = new DynamoDBClient(config);
    this.#documents = DynamoDBDocumentClient.from(this.#client);
  }

  /** Creates one empty table per collection, named `prefix + collection`. */
  static async create(
    config: DynamoDBClientConfig,
    prefix: string,
    collections: readonly string[],
  ): Promise<DynamoDbBaseline> {
    const baseline = new DynamoDbBaseline(config);
    try {
      for (const collection of collections) {
        const table = `${prefix}${collection}`;
        await baseline.#client.send(
          new CreateTableCommand({
            TableName: table,
            KeySchema: [{ AttributeName: '_id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: '_id', AttributeType: 'S' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        );
        baseline.#tables.set(collection, table);
      }
    } catch (error) {
      await baseline.close();
      throw error;
    }
    return baseline;
  }

  async get(collection: string, id: string): Promise<StoredDocument> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#table(collection),
        Key: { _id: id },
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new Error(`Baseline has no ${collection}/${id}`);
    return Item as StoredDocument;
  }

  async save(collection: string, id: string, doc: JsonObject): Promise<string> {
    const rev = randomUUID();
    await this.#documents.send(
      new PutCommand({ TableName: this.#table(collection), Item: { ...doc, _id: id, _rev: rev } }),
    );
    return rev;
  }

  async saveIfRev(collection: string, id: string, doc: JsonObject, rev: string): Promise<string> {
    const next = randomUUID();
    await this.#documents.send(
      new PutCommand({
        TableName: this.#table(collection),
        Item: { ...doc, _id: id, _rev: next },
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#rev': '_rev' },
        ExpressionAttributeValues: { ':rev': rev },
      }),
    );
    return next;
  }

  async delete(collection: string, id: string): Promise<void> {
    await this.#documents.send(
      new DeleteCommand({
        TableName: this.#table(collection),
        Key: { _id: id },
        ConditionExpression: 'attribute_exists(#id)',
        ExpressionAttributeNames: { '#id': '_id' },
      }),
    );
  }

  async listPage(collection: string, limit: number, cursor: string | null): Promise<ListPage> {
    const { Items = [] } = await this.#documents.send(
      new ScanCommand({
        TableName: this.#table(collection),
        ConsistentRead: true,
        Limit: limit + 1,
        ExclusiveStartKey: cursor === null ? undefined : { _id: cursor },
      }),
    );
    const page = Items.slice(0, limit) as StoredDocument[];
    return {
      documents: page,
      nextCursor: Items.length > limit ? (page.at(-1)?._id ?? null) : null,
    };
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Array<StoredDocument | null>> {
    const table = this.#table(collection);
    const byId = new Map<string, StoredDocument>();
    let keys: Array<Record<string, unknown>> | undefined = [...new Set(ids)].map((id) => ({
      _id: id,
    }));
    while (keys?.length) {
      const reply: BatchGetCommandOutput = await this.#documents.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of reply.Responses?.[table] ?? []) byId.set(item._id, item as StoredDocument);
      keys = reply.UnprocessedKeys?.[table]?.Keys;
    }
    return ids.map((id) => byId.get(id) ?? null);
  }

  async saveMany(collection: string, items: readonly SaveManyItem[]): Promise<void> {
    const table = this.#table(collection);
    const pieces: SaveManyItem[][] = [];
    for (let start = 0; start < items.length; start += 25)
      pieces.push(items.slice(start, start + 25));
    await Promise.all(
      pieces.map(async (piece) => {
        let requests = piece.map((item) => ({
          PutRequest: { Item: { ...item.doc, _id: item.id, _rev: randomUUID() } },
        }));
        while (requests.length > 0) {
          const reply: BatchWriteCommandOutput = await this.#documents.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests } }),
          );
          requests = (reply.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }),
    );
  }

  /** Deletes the tables this baseline created and releases the client. */
  async close(): Promise<void> {
    try {
      for (const table of this.#tables.values()) {
        await this.#client.send(new DeleteTableCommand({ TableName: table }));
      }
      this.#tables.clear();
    } finally {
      this.#client.destroy();
    }
  }

  #table(collection: string): string {
    const table = this.#tables.get(collection);
    if (!table) throw new Error(`Baseline has no table for collection ${collection}`);
    return table;
  }
}

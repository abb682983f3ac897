import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableStatus,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@gofannon/db-core';
import { errorName, isMissingTable } from './dynamodb-errors';
import { ID } from './revisions';

/** How long a write waits for a new table to become ACTIVE (the real service takes seconds). */
const ACTIVE_WAIT_MS = 120_000;
const POLL_MS = 250;

/**
 * Creates tables on the first write to them. Writes go straight to DynamoDB; only a
 * ResourceNotFoundException brings them here, so the common path never asks whether a
 * table exists. Concurrent writers to a new table share one creation, and a writer that
 * loses a creation race with another process (ResourceInUseException) waits like the
 * winner until the table is ACTIVE.
 */
export class TableCreator {
  readonly #client: DynamoDBClient;
  readonly #pending = new Map<string, Promise<void>>();

  constructor(client: DynamoDBClient) {
    this.#client = client;
  }

  /** Resolves once `table` exists and is ACTIVE, creating it when it does not exist. */
  ensure(table: string): Promise<void> {
    let pending = this.#pending.get(table);
    if (!pending) {
      pending = this.#create(table).finally(() => this.#pending.delete(table));
      this.#pending.set(table, pending);
    }
    return pending;
  }

  async #create(table: string): Promise<void> {
    try {
      const created = await this.#client.send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: ID, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: ID, AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      if (created.TableDescription?.TableStatus === 'ACTIVE') return;
    } catch (error) {
      // Someone else created it, or is creating it: wait for it like for our own.
      if (errorName(error) !== 'ResourceInUseException') throw error;
    }
    await this.#untilActive(table);
  }

  async #untilActive(table: string): Promise<void> {
    const deadline = Date.now() + ACTIVE_WAIT_MS;
    for (;;) {
      if ((await this.#status(table)) === 'ACTIVE') return;
      if (Date.now() > deadline) {
        throw new UnavailableError(
          `DynamoDB table ${table} did not become ACTIVE within ${ACTIVE_WAIT_MS / 1000} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async #status(table: string): Promise<TableStatus | 'MISSING' | undefined> {
    try {
      const { Table } = await this.#client.send(new DescribeTableCommand({ TableName: table }));
      return Table?.TableStatus;
    } catch (error) {
      // Between a create and its first description, or while being deleted by someone.
      if (isMissingTable(error)) return 'MISSING';
      throw error;
    }
  }
}

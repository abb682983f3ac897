import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableStatus,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@gofannon/db-core';
import { SharedWork, sleep } from '@gofannon/db-core/adapter';
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
 * winner until the table is ACTIVE. A creation is shared by the writers waiting for it and
 * stops when the last of them stops waiting (its call's signal aborts).
 */
export class TableCreator {
  readonly #client: DynamoDBClient;
  readonly #pending = new SharedWork<string>();

  constructor(client: DynamoDBClient) {
    this.#client = client;
  }

  /** Resolves once `table` exists and is ACTIVE, creating it when it does not exist. */
  ensure(table: string, signal: AbortSignal): Promise<void> {
    return this.#pending.run(table, signal, (shared) => this.#create(table, shared));
  }

  async #create(table: string, signal: AbortSignal): Promise<void> {
    try {
      const created = await this.#client.send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: ID, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: ID, AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
        { abortSignal: signal },
      );
      if (created.TableDescription?.TableStatus === 'ACTIVE') return;
    } catch (error) {
      // Someone else created it, or is creating it: wait for it like for our own.
      if (errorName(error) !== 'ResourceInUseException') throw error;
    }
    await this.#untilActive(table, signal);
  }

  async #untilActive(table: string, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + ACTIVE_WAIT_MS;
    for (;;) {
      if ((await this.#status(table, signal)) === 'ACTIVE') return;
      if (Date.now() > deadline) {
        throw new UnavailableError(
          `DynamoDB table ${table} did not become ACTIVE within ${ACTIVE_WAIT_MS / 1000} s`,
        );
      }
      await sleep(POLL_MS, signal);
    }
  }

  async #status(table: string, signal: AbortSignal): Promise<TableStatus | 'MISSING' | undefined> {
    try {
      const { Table } = await this.#client.send(new DescribeTableCommand({ TableName: table }), {
        abortSignal: signal,
      });
      return Table?.TableStatus;
    } catch (error) {
      // Between a create and its first description, or while being deleted by someone.
      if (isMissingTable(error)) return 'MISSING';
      throw error;
    }
  }
}

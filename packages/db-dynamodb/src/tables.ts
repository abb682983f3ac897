import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableStatus,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '@gofannon/db-core';
import { SharedWork, sleep } from '@gofannon/db-core/adapter';
import { errorName, isMissingTable } from './dynamodb-errors';
import { ID, TTL } from './revisions';

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
  readonly #timeToLive: boolean;

  /** `timeToLive`: turn DynamoDB's TTL on for the tables it creates (the default). */
  constructor(client: DynamoDBClient, timeToLive = true) {
    this.#client = client;
    this.#timeToLive = timeToLive;
  }

  /** Resolves once `table` exists and is ACTIVE, creating it when it does not exist. */
  ensure(table: string, signal: AbortSignal): Promise<void> {
    return this.#pending.run(table, signal, (shared) => this.#create(table, shared));
  }

  async #create(table: string, signal: AbortSignal): Promise<void> {
    if ((await this.#createTable(table, signal)) && this.#timeToLive) {
      await this.#enableTtl(table, signal);
    }
  }

  /** Creates the table and waits until it is ACTIVE; `false` when someone else created it. */
  async #createTable(table: string, signal: AbortSignal): Promise<boolean> {
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
      if (created.TableDescription?.TableStatus !== 'ACTIVE')
        await this.#untilActive(table, signal);
      return true;
    } catch (error) {
      // Someone else created it, or is creating it: wait for it like for our own.
      if (errorName(error) !== 'ResourceInUseException') throw error;
    }
    await this.#untilActive(table, signal);
    return false;
  }

  /**
   * Turns DynamoDB's TTL on for the expiry attribute of a table just created, so that it
   * deletes expired documents itself (within about two days). Only the creator asks
   * (`ensureIndex` passes here for tables that exist long since, and changing TTL while an
   * index builds is no business of it); a table that has TTL on already is fine.
   */
  async #enableTtl(table: string, signal: AbortSignal): Promise<void> {
    try {
      await this.#client.send(
        new UpdateTimeToLiveCommand({
          TableName: table,
          TimeToLiveSpecification: { AttributeName: TTL, Enabled: true },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      // Credentials that may create tables but not change TTL: the table works without it
      // (the purge reclaims storage), and the README says how to turn it on.
      if (errorName(error) === 'AccessDeniedException') return;
      // "TimeToLive is already enabled", or a concurrent change by another process.
      if (errorName(error) !== 'ValidationException') throw error;
      const { TimeToLiveDescription: ttl } = await this.#client.send(
        new DescribeTimeToLiveCommand({ TableName: table }),
        { abortSignal: signal },
      );
      const status = ttl?.TimeToLiveStatus;
      if ((status === 'ENABLED' || status === 'ENABLING') && ttl?.AttributeName === TTL) return;
      throw error;
    }
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

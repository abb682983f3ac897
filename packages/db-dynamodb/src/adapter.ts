import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { AdapterDefinition } from '@gofannon/db-core';
import { SettingsReader } from '@gofannon/db-core/adapter';
import { DynamoDbDatabaseService } from './dynamodb-service';

const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;

/** Lets `DATABASE_PROVIDER=dynamodb` find this adapter, with its settings. */
export const adapter: AdapterDefinition = {
  provider: 'dynamodb',
  settings: [
    {
      name: 'DYNAMODB_REGION',
      required: false,
      description: 'the AWS region of the tables, us-east-1 by default',
    },
    {
      name: 'DYNAMODB_ENDPOINT_URL',
      required: false,
      description:
        'another endpoint than AWS, such as DynamoDB Local at http://127.0.0.1:8000; credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a role)',
    },
    { name: 'DYNAMODB_TABLE_PREFIX', required: false, description: 'put before every table name' },
    {
      name: 'DYNAMODB_REQUEST_TIMEOUT_MS',
      required: false,
      description: 'bound on each HTTP attempt in milliseconds, DATABASE_TIMEOUT_MS by default',
    },
    {
      name: 'DYNAMODB_MAX_ATTEMPTS',
      required: false,
      description: 'attempts per request, retries of throttling and network errors included (3)',
    },
  ],
  create(context) {
    const { timeoutMs } = context;
    const read = SettingsReader.of('dynamodb', context);
    const region =
      read.matching('DYNAMODB_REGION', REGION, 'an AWS region such as us-east-1') ?? 'us-east-1';
    const endpoint = read.url('DYNAMODB_ENDPOINT_URL', {
      credentials: false,
      example: 'http://127.0.0.1:8000',
    });
    const requestTimeoutMs = read.positiveInteger('DYNAMODB_REQUEST_TIMEOUT_MS');
    const maxAttempts = read.positiveInteger('DYNAMODB_MAX_ATTEMPTS');
    read.done();
    const client: DynamoDBClientConfig = { region };
    if (endpoint !== undefined) client.endpoint = endpoint;
    return new DynamoDbDatabaseService({
      client,
      tablePrefix: read.optional('DYNAMODB_TABLE_PREFIX') ?? '',
      requestTimeoutMs,
      maxAttempts,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};

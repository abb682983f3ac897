import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { type AdapterDefinition, ConfigurationError } from '@gofannon/db-core';
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
  create({ settings, timeoutMs }) {
    const region = settings.DYNAMODB_REGION ?? 'us-east-1';
    if (!REGION.test(region)) {
      throw new ConfigurationError(
        `DYNAMODB_REGION must be an AWS region such as us-east-1, got ${JSON.stringify(region)}`,
      );
    }
    const client: DynamoDBClientConfig = { region };
    const endpoint = settings.DYNAMODB_ENDPOINT_URL;
    if (endpoint !== undefined) client.endpoint = checkEndpoint(endpoint);
    return new DynamoDbDatabaseService({
      client,
      tablePrefix: settings.DYNAMODB_TABLE_PREFIX ?? '',
      requestTimeoutMs: wholeNumber(settings, 'DYNAMODB_REQUEST_TIMEOUT_MS'),
      maxAttempts: wholeNumber(settings, 'DYNAMODB_MAX_ATTEMPTS'),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};

function checkEndpoint(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password
  ) {
    throw new ConfigurationError(
      'DYNAMODB_ENDPOINT_URL must be an http:// or https:// URL without credentials, such as http://127.0.0.1:8000',
    );
  }
  return raw;
}

function wholeNumber(settings: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = settings[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (/^\d+$/.test(raw) && Number.isSafeInteger(value) && value > 0) return value;
  throw new ConfigurationError(
    `${name} must be a positive whole number, got ${JSON.stringify(raw)}`,
  );
}

import type { DynamoServer } from './server';

/**
 * The settings `DATABASE_PROVIDER=dynamodb` reads, for a test server: what other packages'
 * tests (the API, the bench) pass to `createDatabaseService`. A fresh table prefix per test
 * keeps tests apart on one server.
 */
export function dynamoProviderEnv(server: DynamoServer, prefix: string): Record<string, string> {
  return {
    DATABASE_PROVIDER: 'dynamodb',
    DYNAMODB_ENDPOINT_URL: server.endpoint,
    DYNAMODB_REGION: process.env.DYNAMODB_REGION?.trim() || 'us-east-1',
    DYNAMODB_TABLE_PREFIX: prefix,
  };
}

/**
 * The credentials the adapter's AWS credential chain finds in the process environment: the
 * fake ones DynamoDB Local accepts, unless an external endpoint comes with real ones.
 */
export function dynamoCredentialsEnv(server: DynamoServer): Record<string, string> {
  if (server.external && process.env.AWS_ACCESS_KEY_ID) return {};
  return { AWS_ACCESS_KEY_ID: 'fakeKey', AWS_SECRET_ACCESS_KEY: 'fakeSecret' };
}

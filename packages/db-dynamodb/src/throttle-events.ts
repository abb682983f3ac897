import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { recordEvent } from '@gofannon/db-core';
import { errorName } from './dynamodb-errors';

/** DynamoDB's answers that mean "too many requests": throttling, not an outage. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/**
 * Puts a `gofannon.db.throttled` event on the calling span for every request DynamoDB
 * throttles, with the operation and the error's name. The SDK retries throttled requests
 * itself, so without this a call that was slowed down looks merely slow. Added inside the
 * SDK's retry loop (the deserialize step), it sees each attempt.
 */
export function recordThrottling(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const name = errorName(error);
        if (name !== undefined && THROTTLED.has(name)) {
          recordEvent('gofannon.db.throttled', {
            'aws.dynamodb.operation': String(context.commandName ?? 'unknown'),
            'error.type': name,
          });
        }
        throw error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'gofannonThrottleEvents' },
  );
}

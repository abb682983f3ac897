import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BackendInspector } from '@gofannon/db-core/conformance';
import { type DynamoServer, dynamoClientConfig } from '@gofannon/test-support';
import { tableNamer } from '../../src';

/** Tells the suite whether a collection's table exists, asking DynamoDB with a client of its own. */
export function dynamoInspector(server: () => DynamoServer, tablePrefix = ''): BackendInspector {
  const table = tableNamer(tablePrefix);
  return {
    async collectionExists(collection) {
      const client = new DynamoDBClient(dynamoClientConfig(server()));
      try {
        await client.send(new DescribeTableCommand({ TableName: table(collection) }));
        return true;
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException') return false;
        throw error;
      } finally {
        client.destroy();
      }
    },
  };
}

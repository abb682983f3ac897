import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DynamoServer, dynamoClientConfig } from '@gofannon/test-support';

/** A plain client of the test server, as other tools (or the Python service) use it. */
export function rawClient(server: DynamoServer): DynamoDBClient {
  return new DynamoDBClient(dynamoClientConfig(server));
}

/** The document client on top of a raw client, which writes native attributes as boto3 does. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client);
}

/** The table's description, or undefined when there is no such table. */
export async function describeTable(
  client: DynamoDBClient,
  table: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Deletes a table if it exists, so a test that needs a fixed table name starts clean. */
export async function dropTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: table }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
}

/**
 * The DynamoDB endpoint of a bench run: the one `DYNAMODB_ENDPOINT_URL` names, else AWS's
 * DynamoDB Local started as a child process on a free 127.0.0.1 port (in memory, telemetry
 * off) and stopped by its pid.
 *
 * How DynamoDB Local is fetched, started and stopped exists once, in db-dynamodb's
 * `test/support/dynamodb-server.ts`, which the adapter's own tests use; it is imported here,
 * not copied. This module is the only place in the bench that reaches into that folder.
 */
export {
  type DynamoServer,
  dynamoClientConfig,
  dynamoServerFromEnv,
  startDynamoServer,
} from '../../../db-dynamodb/test/support/dynamodb-server';

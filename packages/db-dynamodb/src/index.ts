export { adapter } from './adapter';
export type { DynamoDbOptions } from './dynamodb-service';
export { DynamoDbDatabaseService } from './dynamodb-service';
export { tableNamer } from './table-names';

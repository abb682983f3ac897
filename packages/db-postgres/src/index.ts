export { adapter } from './adapter';
export type { PostgresOptions } from './postgres-service';
export { PostgresDatabaseService } from './postgres-service';

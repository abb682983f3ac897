export { adapter } from './adapter';
export type { CouchConnection } from './couch-client';
export type { CouchDbOptions } from './couchdb-service';
export { CouchDbDatabaseService } from './couchdb-service';

export { adapter } from './adapter';
export type { FirestoreOptions } from './firestore-service';
export { FirestoreDatabaseService } from './firestore-service';

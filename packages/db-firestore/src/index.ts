export { adapter } from './adapter';
export type { FirestoreOptions } from './firestore-service';
export { FirestoreDatabaseService } from './firestore-service';
export type {
  CompositeIndex,
  FirestoreIndexesFile,
  GcloudTarget,
  IndexField,
} from './indexes/composite-indexes';
export {
  compositeIndexesFor,
  firestoreIndexesFile,
  gcloudIndexCommands,
} from './indexes/composite-indexes';

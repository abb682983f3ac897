import { fieldPathText } from '../find/field-paths';

/** One field of a composite index, as `firestore.indexes.json` writes it. */
export interface IndexField {
  fieldPath: string;
  order: 'ASCENDING' | 'DESCENDING';
}

/** One composite index, as an entry of `indexes` in `firestore.indexes.json`. */
export interface CompositeIndex {
  collectionGroup: string;
  queryScope: 'COLLECTION';
  fields: IndexField[];
}

/** The content of a `firestore.indexes.json`, for `firebase deploy --only firestore:indexes`. */
export interface FirestoreIndexesFile {
  indexes: CompositeIndex[];
  fieldOverrides: [];
}

/**
 * The composite indexes that serve the queries an `ensureIndex(fields)` is for, in core's
 * shape (equality fields, then the order field): every field ascending, and the same with
 * the last field descending, because Firestore serves an order only in the directions
 * its index has. One field needs none (Firestore indexes each field by itself), and `_id`
 * is the document id, at the end of every index already.
 */
export function compositeIndexesFor(
  collectionGroup: string,
  fields: readonly string[],
): CompositeIndex[] {
  const paths = fields.filter((field) => field !== '_id').map(fieldPathText);
  if (paths.length < 2) return [];
  const ascending = paths.map((fieldPath): IndexField => ({ fieldPath, order: 'ASCENDING' }));
  const descending = ascending.map(
    (field, i): IndexField =>
      i === ascending.length - 1 ? { ...field, order: 'DESCENDING' } : field,
  );
  return [ascending, descending].map((indexFields) => ({
    collectionGroup,
    queryScope: 'COLLECTION',
    fields: indexFields,
  }));
}

/** `indexes` once each, as the content of a `firestore.indexes.json`. */
export function firestoreIndexesFile(indexes: readonly CompositeIndex[]): FirestoreIndexesFile {
  const seen = new Set<string>();
  const unique = indexes.filter((index) => {
    const key = JSON.stringify(index);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { indexes: unique, fieldOverrides: [] };
}

/** Where `gcloud` creates the indexes: the project and database, when not gcloud's default. */
export interface GcloudTarget {
  project?: string;
  database?: string;
}

/** The `gcloud firestore indexes composite create` command of each index (once each). */
export function gcloudIndexCommands(
  indexes: readonly CompositeIndex[],
  target: GcloudTarget = {},
): string[] {
  return firestoreIndexesFile(indexes).indexes.map((index) =>
    [
      'gcloud firestore indexes composite create',
      shellWord(`--collection-group=${index.collectionGroup}`),
      '--query-scope=COLLECTION',
      ...index.fields.map((field) =>
        shellWord(
          `--field-config=field-path=${field.fieldPath},order=${field.order.toLowerCase()}`,
        ),
      ),
      ...(target.database ? [shellWord(`--database=${target.database}`)] : []),
      ...(target.project ? [shellWord(`--project=${target.project}`)] : []),
    ].join(' '),
  );
}

/** A shell word: as it is when it is plain, else in single quotes. */
function shellWord(text: string): string {
  return /^[\w.,=/:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

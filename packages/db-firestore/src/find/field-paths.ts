import { FieldPath } from '@google-cloud/firestore';
import { toFieldName } from '../field-values';

/**
 * The Firestore field path of a query's dot path: each segment as the adapter stores that
 * key (`""` is `~`, `__x__` is `~__x__`, see `field-values.ts`), so a query finds the
 * fields the adapter wrote. `_id` is the document id.
 */
export function toFieldPath(field: string): FieldPath {
  if (field === '_id') return FieldPath.documentId();
  return new FieldPath(...field.split('.').map(toFieldName));
}

/** Segments Firestore writes without quoting in a field path's text form. */
const SIMPLE_SEGMENT = /^[A-Za-z_][A-Za-z_0-9]*$/;

/**
 * A field path as `firestore.indexes.json` and `gcloud` take it: stored segments joined
 * by dots, a segment other than a simple name in backticks (with `` ` `` and `\` escaped).
 */
export function fieldPathText(field: string): string {
  if (field === '_id') return '__name__';
  return field
    .split('.')
    .map(toFieldName)
    .map((segment) =>
      SIMPLE_SEGMENT.test(segment) ? segment : `\`${segment.replace(/[`\\]/g, '\\$&')}\``,
    )
    .join('.');
}

import { createHash } from 'node:crypto';
import { storedFieldName } from './expiry-field';

/**
 * Bumped whenever the map function or its key layout changes: a view of the old layout
 * serves no query any more, and the new one must get another design document.
 */
const KEY_VERSION = 'k1';

/** The view inside every index design document. */
export const FIND_VIEW = 'find';

/** Readable field names in a design document id are cut to this many characters. */
const MAX_READABLE = 80;

/**
 * The design document id of the index of `fields`: readable
 * (`_design/gofannon-find.status,created.<hash>`) and derived from the fields only, so
 * every process picks the same one. The hash tells apart field lists that read alike and
 * names that were cut short. CouchDB runs no map function on design documents, and the
 * adapter's listings skip `_`-ids, so the index never shows up among documents.
 */
export function designId(fields: readonly string[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([KEY_VERSION, fields]))
    .digest('hex')
    .slice(0, 16);
  const readable = [...fields.join(',')].slice(0, MAX_READABLE).join('');
  return `_design/gofannon-find.${readable}.${hash}`;
}

/** The URL path of a design document id (its name after `_design/` is encoded). */
export function designPath(id: string): string {
  return `_design/${encodeURIComponent(id.slice('_design/'.length))}`;
}

/**
 * The design document of one index: a view in raw collation (Erlang term order: strings
 * by UTF-8 bytes, which is code-point order, numbers numerically), keyed so that this
 * order is the contract's. The key of a document is
 * `[[rank, value] for each field, [id]]`: the rank (0 null, 1 boolean, 2 number,
 * 3 string) puts types in the contract's order, and `false` < `true` holds as atoms do.
 * The last element is the caller's id (the stored `_id` without its `~` marker), the
 * tie-break in code-point order. A document with no scalar at one of the fields emits
 * nothing: no condition matches it and ordered results leave it out.
 */
export function indexDesignDocument(fields: readonly string[]): Record<string, unknown> {
  return {
    _id: designId(fields),
    language: 'javascript',
    gofannon: { index: fields, keyVersion: KEY_VERSION },
    views: { [FIND_VIEW]: { map: mapFunction(fields), options: { collation: 'raw' } } },
  };
}

/**
 * The map function: plain ES5, for whichever JavaScript engine the server runs. It reads
 * each field where it is stored: a caller's top-level field named like the expiry field
 * is stored escaped (`expiry-field.ts`); every other name, so every map function made
 * before expiry existed, is unchanged.
 */
function mapFunction(fields: readonly string[]): string {
  return `function (doc) {
  var fields = ${JSON.stringify(fields.map(storedPath))};
  var id = doc._id.charAt(0) === '~' ? doc._id.slice(1) : doc._id;
  var key = [];
  for (var i = 0; i < fields.length; i++) {
    var value = doc;
    if (fields[i] === '_id') value = id;
    else {
      var path = fields[i].split('.');
      for (var j = 0; j < path.length; j++) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
        if (!Object.prototype.hasOwnProperty.call(value, path[j])) return;
        value = value[path[j]];
      }
    }
    var rank = value === null ? 0 : typeof value === 'boolean' ? 1
      : typeof value === 'number' && isFinite(value) ? 2 : typeof value === 'string' ? 3 : -1;
    if (rank < 0) return;
    key.push([rank, value]);
  }
  key.push([id]);
  emit(key, null);
}`;
}

/** Where a field path is stored: its top-level name as `storedFieldName` puts it. */
function storedPath(field: string): string {
  if (field === '_id') return field;
  const dot = field.indexOf('.');
  return dot < 0
    ? storedFieldName(field)
    : `${storedFieldName(field.slice(0, dot))}${field.slice(dot)}`;
}

import {
  type BackendFindPage,
  type Condition,
  type FindCandidate,
  type FindRequest,
  findCandidate,
  type JsonScalar,
  pageOfCandidates,
  type StoredDocument,
} from '@gofannon/db-core';
import {
  type CollectionReference,
  type DocumentReference,
  type DocumentSnapshot,
  FieldPath,
  type Query,
  type QueryDocumentSnapshot,
  Timestamp,
} from '@google-cloud/firestore';
import { isValidDocumentId, toDocumentId } from '../document-ids';
import { toFieldPath } from './field-paths';
import { type PushedConditions, pushConditions } from './pushed-conditions';

/** What `findPage` needs of the adapter: its backend calls, bounded, and its decoding. */
export interface FindSource {
  collection: CollectionReference;
  /** Runs one query within the call's time limit. */
  run(query: Query): Promise<QueryDocumentSnapshot[]>;
  /** Reads documents by reference within the call's time limit. */
  getAll(refs: DocumentReference[]): Promise<DocumentSnapshot[]>;
  /** The stored document of a snapshot (`null` when it does not exist). */
  toStored(snapshot: DocumentSnapshot): StoredDocument | null;
}

/**
 * One page of a query on Firestore, or `undefined` when the query has a condition with
 * no Firestore form (a range on null or booleans), which core's scan then answers.
 *
 * Firestore filters, orders and pages (its order of values is the contract's for JSON
 * scalars, and stored ids keep the order of the caller's ids, see `document-ids.ts`).
 * Every document read is checked again with core's shared rules (`matchesWhere`,
 * `positionOf`, `isAfter`) and the page put in core's order (`comparePositions`), so the
 * result is the contract's where Firestore differs: documents with an array, a map or
 * another non-JSON value at the order field are left out.
 */
export async function findPage(
  source: FindSource,
  request: FindRequest,
): Promise<BackendFindPage | undefined> {
  const pushed = pushConditions(request.where);
  if (pushed.unsupported || refusedKeyScan(request, pushed)) return undefined;
  if (pushed.matchesNothing) return { documents: [], more: false };
  const ids = idsNamed(request.where);
  const candidates =
    ids === undefined
      ? await readOrdered(source, request, pushed)
      : await readByIds(source, request, ids);
  return pageOfCandidates(candidates, request);
}

/**
 * Up to `limit + 1` documents of the walk, from Firestore's ordered query; reads on past
 * what is left out (arrays, maps or other non-JSON values at the order field) until the
 * page is full.
 */
async function readOrdered(
  source: FindSource,
  request: FindRequest,
  pushed: PushedConditions,
): Promise<FindCandidate[]> {
  const { order, limit } = request;
  const want = limit + 1;
  const byId = order.field === '_id';
  const fieldPath = toFieldPath(order.field);
  const found: FindCandidate[] = [];
  for (const segment of orderedSegments(source.collection, request, pushed)) {
    let query = segment;
    for (;;) {
      const snapshots = await source.run(query.limit(want));
      for (const snapshot of snapshots) {
        if (!byId) {
          const kind = nativeKind(snapshot.get(fieldPath));
          // After strings, Firestore orders bytes, references, points, arrays and maps:
          // nothing the contract orders follows.
          if (kind === 'after-strings' && order.direction === 'asc') return found;
          if (kind !== 'scalar') continue;
        }
        const candidate = accept(source, snapshot, request);
        if (candidate) found.push(candidate);
        if (found.length === want) return found;
      }
      const last = snapshots.at(-1);
      if (snapshots.length < want || last === undefined) break;
      query = segment.startAfter(last);
    }
  }
  return found;
}

/**
 * The Firestore queries of an ordered walk, read one after the other. One in general; a
 * descending walk from the start without a range has two, so that it skips the arrays
 * and maps Firestore puts above strings: the strings (`>= ""`), then what is below them.
 */
function orderedSegments(
  collection: CollectionReference,
  request: FindRequest,
  pushed: PushedConditions,
): Query[] {
  const { order, after } = request;
  let query: Query = collection;
  for (const { field, op, value } of [...pushed.equalities, ...pushed.ranges]) {
    query = query.where(toFieldPath(field), op, value);
  }
  if (order.field === '_id') {
    return [idWalk(query.orderBy(FieldPath.documentId(), order.direction), request)];
  }
  const fieldPath = toFieldPath(order.field);
  query = query
    .orderBy(fieldPath, order.direction)
    .orderBy(FieldPath.documentId(), order.direction);
  if (after !== null) return [query.startAfter(after.value, toDocumentId(after.id))];
  if (order.direction === 'desc' && pushed.ranges.length === 0) {
    return [query.where(fieldPath, '>=', ''), query.startAfter('')];
  }
  return [query];
}

/**
 * The `_id`-ordered query from its cursor, within its `_id` ranges: stored ids keep the
 * order of ids, so the bounds are the stored forms of the ids. A bound Firestore can't
 * take as a document id ("", NUL, over 1,500 bytes) is left to core's check.
 */
function idWalk(query: Query, request: FindRequest): Query {
  const { after, where } = request;
  for (const { field, op, value } of where) {
    if (field !== '_id' || op === '==' || op === 'in' || typeof value !== 'string') continue;
    const documentId = toDocumentId(value);
    if (isValidDocumentId(documentId) && !documentId.includes('\u0000'))
      query = query.where(FieldPath.documentId(), op, documentId);
  }
  return after === null ? query : query.startAfter(toDocumentId(after.id));
}

/** The documents of a query that names its ids (`_id ==` or `in`): read by id, at most 30. */
async function readByIds(
  source: FindSource,
  request: FindRequest,
  ids: string[],
): Promise<FindCandidate[]> {
  if (ids.length === 0) return [];
  const refs = ids.map((id) => source.collection.doc(toDocumentId(id)));
  const found: FindCandidate[] = [];
  for (const snapshot of await source.getAll(refs)) {
    const field = request.order.field;
    if (field !== '_id' && nativeKind(snapshot.get(toFieldPath(field))) !== 'scalar') continue;
    const candidate = accept(source, snapshot, request);
    if (candidate) found.push(candidate);
  }
  return found;
}

/**
 * Whether the walk would be a descending scan of document ids with no filter, which the
 * emulator refuses (see `key-scan-refusal.ts`) after retrying for seconds: it goes to
 * core's scan at once. A query naming its ids is read by id instead.
 */
function refusedKeyScan(request: FindRequest, pushed: PushedConditions): boolean {
  return (
    request.order.field === '_id' &&
    request.order.direction === 'desc' &&
    pushed.equalities.length === 0 &&
    idsNamed(request.where) === undefined
  );
}

/** The ids every `_id ==` and `_id in` condition allows, or `undefined` when there is none. */
function idsNamed(where: readonly Condition[]): string[] | undefined {
  let ids: string[] | undefined;
  for (const { field, op, value } of where) {
    if (field !== '_id' || (op !== '==' && op !== 'in')) continue;
    const listed = (op === 'in' ? (value as JsonScalar[]) : [value as JsonScalar]).filter(
      (v): v is string => typeof v === 'string',
    );
    ids = ids === undefined ? [...new Set(listed)] : ids.filter((id) => listed.includes(id));
  }
  return ids;
}

/** A document read, when it matches the query and comes after its cursor. */
function accept(
  source: FindSource,
  snapshot: DocumentSnapshot,
  request: FindRequest,
): FindCandidate | undefined {
  const doc = source.toStored(snapshot);
  return doc === null ? undefined : findCandidate(doc, request);
}

/**
 * What a stored value at the order field is to the walk: a JSON scalar (NaN and
 * infinities, which other tools can write, are not), a value Firestore orders after
 * strings (bytes, references, points, arrays, maps), or another value (a `Timestamp`,
 * between numbers and strings; NaN; a missing field).
 */
function nativeKind(value: unknown): 'scalar' | 'after-strings' | 'other' {
  if (value === null || typeof value === 'boolean') return 'scalar';
  if (typeof value === 'number') return Number.isFinite(value) ? 'scalar' : 'other';
  if (typeof value === 'string') return value.isWellFormed() ? 'scalar' : 'other';
  if (value === undefined || value instanceof Timestamp) return 'other';
  return 'after-strings';
}

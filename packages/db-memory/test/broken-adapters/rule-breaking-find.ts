import {
  type BackendFindPage,
  type Condition,
  compareCodePoints,
  compareScalars,
  type FindRequest,
  isScalar,
  type JsonScalar,
  type JsonValue,
  type StoredDocument,
  typeRank,
  valueAtPath,
} from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';

interface Keyed {
  doc: StoredDocument;
  value: JsonScalar;
  id: string;
}

/**
 * A memory service whose queries read the whole collection and apply the contract's
 * rules through small hooks, so that a broken adapter breaks exactly one rule by
 * overriding one hook. Unbroken, it answers as core does.
 */
export class RuleBreakingFind extends MemoryDatabaseService {
  /** Whether two scalars are equal for `==` and `in`. */
  protected equal(stored: JsonValue | undefined, value: JsonScalar): boolean {
    return isScalar(stored) && compareScalars(stored, value) === 0;
  }

  /** Whether a stored value is inside a range bound. */
  protected inRange(stored: JsonValue | undefined, op: string, bound: JsonScalar): boolean {
    if (!isScalar(stored) || typeRank(stored) !== typeRank(bound)) return false;
    const order = this.compareValues(stored, bound);
    return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
  }

  /** The order of sort values. */
  protected compareValues(a: JsonScalar, b: JsonScalar): number {
    return compareScalars(a, b);
  }

  /** The order of ids among equal sort values, before the direction of ties applies. */
  protected compareIds(a: string, b: string): number {
    return compareCodePoints(a, b);
  }

  /** A document's sort value; `undefined` leaves it out. */
  protected sortValue(doc: StoredDocument, field: string): JsonScalar | undefined {
    const value = valueAtPath(doc, field);
    return isScalar(value) ? value : undefined;
  }

  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    const { where, order, after, limit } = request;
    const sign = order.direction === 'asc' ? 1 : -1;
    const ties = this.tieSign(order.direction);
    const compare = (a: Omit<Keyed, 'doc'>, b: Omit<Keyed, 'doc'>) =>
      sign * this.compareValues(a.value, b.value) || ties * this.compareIds(a.id, b.id);
    const keyed: Keyed[] = [];
    for (const doc of await this._listAll(collection, bounded)) {
      const value = this.sortValue(doc, order.field);
      if (value === undefined || !where.every((c) => this.#holds(doc, c))) continue;
      keyed.push({ doc, value, id: doc._id });
    }
    keyed.sort(compare);
    const rest = after === null ? keyed : keyed.filter((k) => compare(k, after) > 0);
    return { documents: rest.slice(0, limit).map((k) => k.doc), more: rest.length > limit };
  }

  /** The direction ties follow: the query's own unless a subclass says otherwise. */
  protected tieSign(direction: 'asc' | 'desc'): number {
    return direction === 'asc' ? 1 : -1;
  }

  #holds(doc: StoredDocument, condition: Condition): boolean {
    const stored = valueAtPath(doc, condition.field);
    const { op, value } = condition;
    if (op === 'in') return (value as JsonScalar[]).some((v) => this.equal(stored, v));
    if (op === '==') return this.equal(stored, value as JsonScalar);
    return this.inRange(stored, op, value as JsonScalar);
  }
}

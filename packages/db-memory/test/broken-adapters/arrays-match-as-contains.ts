import type { JsonScalar, JsonValue } from '@gofannon/db-core';
import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

// Breaks "an array matches no clause": == matches an array that contains the value, as
// MongoDB and Mango do.
class ArraysMatchAsContains extends RuleBreakingFind {
  protected override equal(stored: JsonValue | undefined, value: JsonScalar): boolean {
    if (Array.isArray(stored)) return stored.some((item) => super.equal(item, value));
    return super.equal(stored, value);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'arrays match the values they contain',
  create: ({ clock }) => new ArraysMatchAsContains({ clock }),
  caughtBy: [
    'queries: matching > == matches the same JSON type and value only, across every type',
    'queries: matching > a missing field, an array or an object never matches, and null matches null only',
  ],
};

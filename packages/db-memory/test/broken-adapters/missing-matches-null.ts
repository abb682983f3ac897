import type { JsonScalar, JsonValue } from '@gofannon/db-core';
import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

// Breaks "null matches an explicit null only": a missing field matches == null.
class MissingMatchesNull extends RuleBreakingFind {
  protected override equal(stored: JsonValue | undefined, value: JsonScalar): boolean {
    return stored === undefined ? value === null : super.equal(stored, value);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a missing field matches null',
  create: ({ clock }) => new MissingMatchesNull({ clock }),
  caughtBy: [
    'queries: matching > a missing field, an array or an object never matches, and null matches null only',
    'queries: matching > == matches the same JSON type and value only, across every type',
  ],
};

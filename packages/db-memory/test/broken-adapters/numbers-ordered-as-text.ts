import type { JsonScalar } from '@gofannon/db-core';
import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

// Breaks "numbers compare numerically": numbers sort and bound ranges as their decimal
// text, so 10 comes before 2.
class NumbersOrderedAsText extends RuleBreakingFind {
  protected override compareValues(a: JsonScalar, b: JsonScalar): number {
    if (typeof a === 'number' && typeof b === 'number') {
      return super.compareValues(String(a), String(b));
    }
    return super.compareValues(a, b);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'numbers are ordered as text',
  create: ({ clock }) => new NumbersOrderedAsText({ clock }),
  caughtBy: [
    'queries: ordering > orderBy sorts across types and strings by code point, both ways, across pages',
    'queries: ordering > ranges include and exclude their bounds exactly',
  ],
};

import type { JsonScalar } from '@gofannon/db-core';
import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

const utf16 = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Breaks "strings compare by code point": sort values, ranges and ties use JavaScript's
// UTF-16 `<`, which puts astral characters before U+E000..U+FFFF.
class Utf16StringOrder extends RuleBreakingFind {
  protected override compareValues(a: JsonScalar, b: JsonScalar): number {
    return typeof a === 'string' && typeof b === 'string' ? utf16(a, b) : super.compareValues(a, b);
  }

  protected override compareIds(a: string, b: string): number {
    return utf16(a, b);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'queries order strings by UTF-16 code units',
  create: ({ clock }) => new Utf16StringOrder({ clock }),
  caughtBy: [
    'queries: ordering > orderBy sorts across types and strings by code point, both ways, across pages',
    'queries: ordering > ties are broken by _id in code-point order, in the direction of the sort',
    'queries: ordering > string ranges follow code points: astral characters come after U+FFFF',
  ],
};

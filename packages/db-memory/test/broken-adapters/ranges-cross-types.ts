import { compareScalars, isScalar, type JsonScalar, type JsonValue } from '@gofannon/db-core';
import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

// Breaks "a range bound matches only values of its type": ranges follow the order across
// types, so > 0 also matches strings, as Mango's $gt does.
class RangesCrossTypes extends RuleBreakingFind {
  protected override inRange(
    stored: JsonValue | undefined,
    op: string,
    bound: JsonScalar,
  ): boolean {
    if (!isScalar(stored)) return false;
    const order = compareScalars(stored, bound);
    return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'ranges match values of other types',
  create: ({ clock }) => new RangesCrossTypes({ clock }),
  caughtBy: ['queries: matching > ranges match values of their bound type only'],
};

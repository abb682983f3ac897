import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

// Breaks "ties are broken by _id in the same direction": ties stay in ascending id order
// when the sort is descending.
class TiesAscendingAlways extends RuleBreakingFind {
  protected override tieSign(): number {
    return 1;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'ties ascend by _id whatever the direction',
  create: ({ clock }) => new TiesAscendingAlways({ clock }),
  caughtBy: [
    'queries: ordering > ties are broken by _id in code-point order, in the direction of the sort',
  ],
};

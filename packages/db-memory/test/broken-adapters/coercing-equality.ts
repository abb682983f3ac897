import type { JsonScalar, JsonValue } from '@gofannon/db-core';
import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

// Breaks "matching is type-strict": == and in compare with JavaScript's loose ==, so
// 1 matches "1" and true, and "" matches 0.
class CoercingEquality extends RuleBreakingFind {
  protected override equal(stored: JsonValue | undefined, value: JsonScalar): boolean {
    if (typeof stored === 'object' && stored !== null) return false;
    // biome-ignore lint/suspicious/noDoubleEquals: the broken rule is exactly this
    return stored == value;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'query equality coerces types',
  create: ({ clock }) => new CoercingEquality({ clock }),
  caughtBy: [
    'queries: matching > == matches the same JSON type and value only, across every type',
    'queries: matching > in matches any of its values, with the same strictness',
  ],
};

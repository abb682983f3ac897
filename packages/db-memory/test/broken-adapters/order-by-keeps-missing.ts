import type { JsonScalar, StoredDocument } from '@gofannon/db-core';
import type { BrokenAdapter } from './broken-adapter';
import { RuleBreakingFind } from './rule-breaking-find';

// Breaks "orderBy leaves out documents without a scalar at the field": they sort as null.
class OrderByKeepsMissing extends RuleBreakingFind {
  protected override sortValue(doc: StoredDocument, field: string): JsonScalar | undefined {
    return super.sortValue(doc, field) ?? null;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'orderBy keeps documents without the field',
  create: ({ clock }) => new OrderByKeepsMissing({ clock }),
  caughtBy: [
    'queries: ordering > orderBy on a nested path leaves out documents without a scalar there',
    'queries: ordering > orderBy sorts across types and strings by code point, both ways, across pages',
  ],
};

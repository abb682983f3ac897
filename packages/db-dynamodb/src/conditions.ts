import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ID, isLegacyRevision, REV } from './revisions';

/** The condition parts of a PutItem or DeleteItem request. */
export interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/** Create-only: no item with this key exists. */
export const ABSENT: Condition = {
  ConditionExpression: 'attribute_not_exists(#id)',
  ExpressionAttributeNames: { '#id': ID },
};

/** The item exists (an atomic delete: of concurrent deletes one finds it). */
export const PRESENT: Condition = {
  ConditionExpression: 'attribute_exists(#id)',
  ExpressionAttributeNames: { '#id': ID },
};

/** Longest `ifRev` sent to DynamoDB; a longer one cannot be a stored revision. */
const MAX_REVISION_BYTES = 1024;

/**
 * The condition that the stored revision is `ifRev`, or `undefined` when no item can
 * have it (text DynamoDB cannot carry, or too long), so nothing need be sent. A legacy
 * revision matches an item that has no revision attribute.
 */
export function revisionIs(ifRev: string): Condition | undefined {
  if (!ifRev.isWellFormed() || Buffer.byteLength(ifRev) > MAX_REVISION_BYTES) return undefined;
  if (isLegacyRevision(ifRev)) {
    return {
      ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#rev)',
      ExpressionAttributeNames: { '#id': ID, '#rev': REV },
    };
  }
  return {
    ConditionExpression: '#rev = :rev',
    ExpressionAttributeNames: { '#rev': REV },
    ExpressionAttributeValues: { ':rev': { S: ifRev } },
  };
}

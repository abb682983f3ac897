import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EXPIRES_MS, ID, isLegacyRevision, REV } from './revisions';

/** The condition parts of a PutItem or DeleteItem request. */
export interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/**
 * The item has not expired by the service's clock (`:now`, epoch ms): it has no expiry, or
 * one after now. An expired item does not exist for any condition.
 */
const LIVE = '(attribute_not_exists(#exp) OR #exp > :now)';

function nowValue(now: number): Record<string, AttributeValue> {
  return { ':now': { N: String(now) } };
}

/** Create-only: no item with this key exists, or it expired by `now` (it is written over). */
export function absent(now: number): Condition {
  return {
    ConditionExpression: 'attribute_not_exists(#id) OR #exp <= :now',
    ExpressionAttributeNames: { '#id': ID, '#exp': EXPIRES_MS },
    ExpressionAttributeValues: nowValue(now),
  };
}

/** The item exists and has not expired by `now` (an atomic delete: of concurrent deletes one finds it). */
export function present(now: number): Condition {
  return {
    ConditionExpression: `attribute_exists(#id) AND ${LIVE}`,
    ExpressionAttributeNames: { '#id': ID, '#exp': EXPIRES_MS },
    ExpressionAttributeValues: nowValue(now),
  };
}

/**
 * The purge's delete: the item is still at the revision the purge saw expired, and still
 * expired by `now`. A document saved again meanwhile has another revision and stays.
 */
export function expiredAt(rev: string, now: number): Condition {
  return {
    ConditionExpression: '#rev = :rev AND #exp <= :now',
    ExpressionAttributeNames: { '#rev': REV, '#exp': EXPIRES_MS },
    ExpressionAttributeValues: { ':rev': { S: rev }, ...nowValue(now) },
  };
}

/** Longest `ifRev` sent to DynamoDB; a longer one cannot be a stored revision. */
const MAX_REVISION_BYTES = 1024;

/**
 * The condition that the stored revision is `ifRev` and the item has not expired by `now`, or `undefined` when no item can
 * have it (text DynamoDB cannot carry, or too long), so nothing need be sent. A legacy
 * revision matches an item that has no revision attribute.
 */
export function revisionIs(ifRev: string, now: number): Condition | undefined {
  if (!ifRev.isWellFormed() || Buffer.byteLength(ifRev) > MAX_REVISION_BYTES) return undefined;
  if (isLegacyRevision(ifRev)) {
    return {
      ConditionExpression: `attribute_exists(#id) AND attribute_not_exists(#rev) AND ${LIVE}`,
      ExpressionAttributeNames: { '#id': ID, '#rev': REV, '#exp': EXPIRES_MS },
      ExpressionAttributeValues: nowValue(now),
    };
  }
  return {
    ConditionExpression: `#rev = :rev AND ${LIVE}`,
    ExpressionAttributeNames: { '#rev': REV, '#exp': EXPIRES_MS },
    ExpressionAttributeValues: { ':rev': { S: ifRev }, ...nowValue(now) },
  };
}

import { ConfigurationError } from '@gofannon/db-core';

/** DynamoDB table names: 3 to 255 of these characters. */
const TABLE_NAME_CHARACTERS = /^[A-Za-z0-9_.-]*$/;
const MIN_TABLE_NAME = 3;
const MAX_TABLE_NAME = 255;
/** The longest collection name the contract allows. */
const MAX_COLLECTION = 64;

/**
 * Checks a table prefix and returns the mapping from collection names to table names:
 * the prefix, then the collection name, then dots up to DynamoDB's minimum of three
 * characters. Collection names never contain a dot, so a padded name cannot meet an
 * unpadded one, and stripping the prefix and the trailing dots gives the collection back.
 */
export function tableNamer(prefix: string): (collection: string) => string {
  if (!TABLE_NAME_CHARACTERS.test(prefix) || prefix.length + MAX_COLLECTION > MAX_TABLE_NAME) {
    throw new ConfigurationError(
      `DYNAMODB_TABLE_PREFIX may hold only letters, digits, "_", "-" and ".", at most ${MAX_TABLE_NAME - MAX_COLLECTION} of them; got ${JSON.stringify(prefix)}`,
    );
  }
  return (collection) => `${prefix}${collection}`.padEnd(MIN_TABLE_NAME, '.');
}

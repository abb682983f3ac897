import type { DatabaseService } from '@gofannon/db-core';
import type { VerifyResult } from '../commands/options';
import { listPages } from '../copy/pages';
import { documentBody } from './canonical-json';
import { type CollectionDigest, ContentHash } from './content-hash';

/** The count and content hash of a collection as a service holds it. */
export async function digestCollection(
  service: DatabaseService,
  collection: string,
  side: string,
): Promise<CollectionDigest> {
  const hash = new ContentHash();
  for await (const page of listPages(service, collection, 1000, side)) {
    for (const doc of page) hash.add(doc._id, documentBody(doc));
  }
  return hash.digest();
}

/** Compares two digests of a collection. */
export function compareDigests(
  collection: string,
  source: CollectionDigest,
  target: CollectionDigest,
): VerifyResult {
  const match = source.documents === target.documents && source.hash === target.hash;
  return { collection, source, target, match };
}

/** Digests each collection on the target and compares it with what the source held. */
export async function verifyTarget(
  target: DatabaseService,
  expected: Iterable<readonly [string, CollectionDigest]>,
): Promise<VerifyResult[]> {
  const results: VerifyResult[] = [];
  for (const [collection, digest] of expected) {
    results.push(
      compareDigests(collection, digest, await digestCollection(target, collection, 'the target')),
    );
  }
  return results;
}

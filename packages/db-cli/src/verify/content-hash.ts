import { createHash } from 'node:crypto';
import type { JsonObject } from '@gofannon/db-core';
import { canonicalJson } from './canonical-json';

const MODULUS = 1n << 256n;

/** The count and order-independent content hash of one collection. */
export interface CollectionDigest {
  documents: number;
  /** 64 hex digits; equal for equal sets of (id, content) pairs, in any order. */
  hash: string;
}

/**
 * Accumulates a hash of a set of documents that does not depend on the order they are
 * seen in: the SHA-256 of each document's id and canonical JSON content, summed modulo
 * 2^256. A sum (unlike XOR) does not cancel out a document seen twice.
 */
export class ContentHash {
  #sum = 0n;
  #count = 0;

  add(id: string, content: JsonObject): void {
    const digest = createHash('sha256').update(id).update('\u0000').update(canonicalJson(content));
    this.#sum = (this.#sum + BigInt(`0x${digest.digest('hex')}`)) % MODULUS;
    this.#count += 1;
  }

  digest(): CollectionDigest {
    return { documents: this.#count, hash: this.#sum.toString(16).padStart(64, '0') };
  }
}

/** A content hash per collection name, created on first use. */
export class ContentHashes {
  readonly #byCollection = new Map<string, ContentHash>();

  add(collection: string, id: string, content: JsonObject): void {
    let hash = this.#byCollection.get(collection);
    if (!hash) {
      hash = new ContentHash();
      this.#byCollection.set(collection, hash);
    }
    hash.add(id, content);
  }

  /** The digest of a collection; zero documents when none was added. */
  digest(collection: string): CollectionDigest {
    return (this.#byCollection.get(collection) ?? new ContentHash()).digest();
  }
}

import { ApiError } from './api-error';

/**
 * A parsed `If-Match` or `If-None-Match` header: `*` (any current representation) or a
 * list of entity tags. Revisions are the entity tags, sent quoted as HTTP requires.
 */
export type EntityTagCondition = { any: true } | { any: false; tags: readonly string[] };

/** The ETag header value of a revision. */
export function entityTag(rev: string): string {
  return `"${rev}"`;
}

/**
 * Undefined when the header is absent; 400 when it is not a valid list of tags. HTTP
 * compares `If-Match` strongly, so a weak tag (`W/"..."`) never matches there, and
 * `If-None-Match` weakly, so `W/"<rev>"` matches that revision (RFC 9110, 13.1.1-2).
 */
export function parseEntityTagCondition(
  header: string | undefined,
  name: 'If-Match' | 'If-None-Match',
): EntityTagCondition | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return { any: true };
  const tags: string[] = [];
  for (const part of value.split(',')) {
    const match = /^\s*(W\/)?"([^"]*)"\s*$/.exec(part);
    if (!match || match[2] === '') {
      throw new ApiError(
        400,
        'invalid',
        `${name} must be * or a list of quoted entity tags, such as "${'1-abc'}"`,
      );
    }
    const weak = match[1] !== undefined;
    if (!weak || name === 'If-None-Match') tags.push(match[2] as string);
  }
  return { any: false, tags };
}

/** Whether a condition holds for a document whose revision is `rev` (undefined: no document). */
export function conditionMatches(condition: EntityTagCondition, rev: string | undefined): boolean {
  if (rev === undefined) return false;
  return condition.any || condition.tags.includes(rev);
}

/**
 * The collections the Gofannon services use. Any valid name works as a collection; these
 * are the ones an application built on Gofannon expects to find.
 */
export const GOFANNON_COLLECTIONS = Object.freeze([
  'agents',
  'deployments',
  'users',
  'sessions',
  'tickets',
  'demos',
] as const);

/** One of {@link GOFANNON_COLLECTIONS}. */
export type GofannonCollection = (typeof GOFANNON_COLLECTIONS)[number];

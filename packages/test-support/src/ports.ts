// The logic lives in @gofannon/db-core/testing, published for third-party adapter authors;
// the repository's own fixtures use it through this module.
export { freeLoopbackPort, onFreeLoopbackPort } from '@gofannon/db-core/testing';

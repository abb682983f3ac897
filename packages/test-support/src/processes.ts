// The logic lives in @gofannon/db-core/testing, published for third-party adapter authors;
// the repository's own fixtures use it through this module.
export {
  hasExited,
  isBeingStopped,
  killOnExit,
  type StopOptions,
  signalAndWait,
  signalProcess,
  stopChild,
} from '@gofannon/db-core/testing';

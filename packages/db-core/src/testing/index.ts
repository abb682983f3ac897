/**
 * `@gofannon/db-core/testing`: what a test fixture needs to run a real backend server for
 * the conformance suite without Docker. Find a free loopback port, start the server as a
 * child process and wait for its readiness signal, stop it by pid (the polite signal, then
 * SIGKILL after a bound), and never let it outlive the test process.
 */
export { killOnExit } from './kill-on-exit';
export { freeLoopbackPort, onFreeLoopbackPort } from './ports';
export {
  hasExited,
  isBeingStopped,
  type StopOptions,
  signalAndWait,
  signalProcess,
  stopChild,
} from './processes';
export {
  type ReadinessSignal,
  type ServerProcess,
  type ServerProcessOptions,
  startServerProcess,
} from './server-process';

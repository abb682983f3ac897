export { type ExternalServerControls, externalServerControls } from './external-server';
export {
  type LocalServerControls,
  type ServerProcess,
  withLocalServerControls,
} from './local-server';
export { freeLoopbackPort } from './ports';
export {
  hasExited,
  isBeingStopped,
  killOnExit,
  type StopOptions,
  signalAndWait,
  signalProcess,
  stopChild,
} from './processes';
export {
  type RequestCounter,
  requestGateOf,
  startHttpRequestCounter,
  startPostgresRequestCounter,
} from './request-gates';

export { type ExternalServerControls, externalServerControls } from './external-server';
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

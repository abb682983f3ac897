export { freeLoopbackPort } from './ports';
export { hasExited, type StopOptions, signalAndWait, signalProcess, stopChild } from './processes';

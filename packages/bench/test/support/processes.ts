export { isAlive as isRunning } from '@gofannon/test-support';

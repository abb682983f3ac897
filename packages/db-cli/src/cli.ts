#!/usr/bin/env node
import { limitHeapGrowth } from './cli/heap';
import { runCli } from './cli/run-cli';

limitHeapGrowth();

// Ctrl-C: the first one stops the run after the batches in flight, the second quits.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write(
    '\nStopping after the batches in flight (Ctrl-C again to quit at once) ...\n',
  );
  controller.abort();
});

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = status;
// Leave promptly even if a driver keeps a socket or timer open after close().
setTimeout(() => process.exit(status), 2000).unref();

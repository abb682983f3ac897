import { ConfigurationError, createDatabaseService, DEFAULT_PROVIDER } from '@gofannon/db-core';
import { buildApp } from './app';
import { ApiConfigError, readApiConfig } from './config';
import { startTracing } from './telemetry/tracing';

/**
 * How long in-flight requests may take to finish after SIGINT/SIGTERM, beyond the time a
 * request may take to arrive (API_REQUEST_TIMEOUT_MS): a client still sending when the
 * signal comes has that long, and then its answer needs a moment.
 */
const DRAIN_MARGIN_MS = 10_000;

async function main(): Promise<void> {
  const config = readApiConfig(process.env);
  // Before the app is built, so it sees the tracer provider and instruments its requests.
  const stopTracing = startTracing(process.env);
  const provider = process.env.DATABASE_PROVIDER?.trim() || DEFAULT_PROVIDER;
  const db = await createDatabaseService();
  const app = await buildApp({ db, provider, config });
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(
    `Gofannon API on ${address} (provider: ${provider}); OpenAPI docs at ${address}/docs`,
  );

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    app.log.info(`${signal}: finishing in-flight requests, then closing the database`);
    const force = setTimeout(() => {
      app.log.error('requests still running after the drain timeout: exiting');
      process.exit(1);
    }, config.requestTimeoutMs + DRAIN_MARGIN_MS);
    force.unref();
    app
      .close()
      .then(() => stopTracing?.())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof ApiConfigError) {
    console.error(`Cannot start the API: ${error.message}`);
  } else {
    console.error('Cannot start the API:', error);
  }
  process.exit(1);
});

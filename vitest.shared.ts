import { defineConfig } from 'vitest/config';

/**
 * Tests run from source: workspace packages resolve through the `@gofannon/source`
 * export condition, so no build is needed before `vitest`. The rest resolve as Node does:
 * the bundlers' `module` condition would pick builds Node cannot load (the AWS SDK's
 * `module` files import paths without extensions).
 */
export const sourceConditions = ['@gofannon/source', 'node', 'development|production'];

export function packageTests(options: { testTimeout?: number; globalSetup?: string } = {}) {
  return defineConfig({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 30_000,
      // Hooks start real servers. Each fixture bounds its own start (a JVM server 120 s), and
      // the hook outlasts it so that the fixture's error, with the server's log, is reported.
      hookTimeout: 180_000,
      env: {
        // The AWS SDK's documented switch for its notice that future releases need Node 22:
        // once per process it would print into the output of every test that loads the
        // DynamoDB adapter (db-dynamodb, db-cli, bench, the API), and of their child processes.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
    },
  });
}

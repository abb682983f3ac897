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
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
    },
  });
}

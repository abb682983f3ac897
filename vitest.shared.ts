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
      hookTimeout: 60_000,
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
    },
  });
}

import { defineConfig } from 'vitest/config';

/**
 * Tests run from source: workspace packages resolve through the `@gofannon/source`
 * export condition, so no build is needed before `vitest`.
 */
export const sourceConditions = ['@gofannon/source', 'module', 'node', 'development|production'];

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

import { defineConfig, type Options } from 'tsup';

/**
 * Build settings every published package shares: ESM + CJS + type declarations
 * (`.d.ts` for `import`, `.d.cts` for `require`).
 *
 * `target: 'node20'` matters for the CJS build: esbuild keeps a dynamic `import(name)`
 * as-is only when the target supports it, so `createDatabaseService` can load an
 * ESM-only adapter package from CJS too. A lower target would turn it into `require()`.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    // Keep `node:crypto` rather than rewriting it to `crypto`.
    removeNodeProtocol: false,
    ...overrides,
  });
}

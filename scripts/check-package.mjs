#!/usr/bin/env node
// Checks what would be published: packs the package in the current directory with
// `pnpm pack` (so publishConfig and workspace: ranges are applied as on publish), then
// lints the tarball with publint (strict: warnings fail too) and attw (node16 profile,
// because the packages have subpath exports). Exits non-zero on any problem.
// Usage, from a package directory: node ../../scripts/check-package.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const require = createRequire(import.meta.url);
const attwBin = join(
  dirname(require.resolve('@arethetypeswrong/cli/package.json')),
  'dist/index.js',
);
const name = JSON.parse(readFileSync('package.json', 'utf8')).name;
const packDir = mkdtempSync(join(tmpdir(), 'check-package-'));
let failed = false;

try {
  execFileSync('pnpm', ['pack', '--pack-destination', packDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarballName = readdirSync(packDir).find((file) => file.endsWith('.tgz'));
  if (!tarballName) throw new Error(`pnpm pack wrote no tarball to ${packDir}`);
  const tarball = join(packDir, tarballName);
  console.log(`${name}: checking ${tarballName}`);

  // publint, strict: warnings are reported as errors; suggestions are shown but pass.
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    strict: true,
  });
  for (const message of messages) {
    console.log(`publint ${message.type}: ${formatMessage(message, pkg)}`);
  }
  const publintErrors = messages.filter((message) => message.type !== 'suggestion').length;
  console.log(publintErrors ? `publint: ${publintErrors} problem(s)` : 'publint: ok');
  if (publintErrors) failed = true;

  // attw prints its own table and exits non-zero when a resolution is wrong.
  const attwArgs = [attwBin, tarball, '--profile', 'node16', '--no-emoji'];
  const attw = spawnSync(process.execPath, attwArgs, { stdio: 'inherit' });
  if (attw.status !== 0) {
    console.log(`attw: failed (exit ${attw.status ?? attw.signal})`);
    failed = true;
  }
} catch (error) {
  console.error(`${name}: ${error instanceof Error ? error.message : error}`);
  failed = true;
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

if (failed) {
  console.error(`${name}: package check failed`);
  process.exit(1);
}
console.log(`${name}: package check passed`);

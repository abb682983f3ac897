import { emulatorJarMissing } from '@gofannon/test-support';

/** One loud line for the whole run when the integration tests are skipped. */
export default function announceSkippedIntegrationTests(): void {
  const missing = emulatorJarMissing();
  if (missing) process.stderr.write(`\n\u001b[1;33m${missing}\u001b[0m\n\n`);
}

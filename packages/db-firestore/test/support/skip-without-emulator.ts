import { emulatorJarMissing } from '@gofannon/test-support';

/**
 * Why this run cannot reach an emulator, or undefined. Test files skip their integration
 * tests with `describe.skipIf(missingEmulator)`; the global setup prints the reason once.
 */
export const missingEmulator: string | undefined = emulatorJarMissing();

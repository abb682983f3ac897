import { packageTests } from '../../vitest.shared.ts';

// The backends every end-to-end test runs against are started once, for all test files.
export default packageTests({ globalSetup: './test/support/start-backends.ts' });

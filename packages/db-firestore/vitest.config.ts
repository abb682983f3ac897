import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../vitest.shared.ts';

export default mergeConfig(packageTests(), {
  test: { globalSetup: ['test/support/global-setup.ts'] },
});

import { packageBuild } from '../../tsup.shared';

// The conformance entry imports the package by its own name, so both entries share one
// copy of the errors and types at run time. The testing entry stands alone (Node only).
export default packageBuild(
  {
    index: 'src/index.ts',
    conformance: 'src/conformance/index.ts',
    testing: 'src/testing/index.ts',
  },
  { external: ['@gofannon/db-core'] },
);

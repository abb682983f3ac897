import { packageBuild } from '../../tsup.shared';

// The conformance and adapter entries import the package by its own name, so every entry
// shares one copy of the errors and types at run time. The testing entry stands alone (Node only).
export default packageBuild(
  {
    index: 'src/index.ts',
    conformance: 'src/conformance/index.ts',
    testing: 'src/testing/index.ts',
    adapter: 'src/adapter/index.ts',
  },
  { external: ['@gofannon/db-core'] },
);

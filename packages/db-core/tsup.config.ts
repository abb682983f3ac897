import { packageBuild } from '../../tsup.shared';

// The conformance entry imports the package by its own name, so both entries share one
// copy of the errors and types at run time.
export default packageBuild(
  {
    index: 'src/index.ts',
    conformance: 'src/conformance/index.ts',
  },
  { external: ['@gofannon/db-core'] },
);

import { packageBuild } from '../../tsup.shared';

// The library (ESM + CJS + declarations) and the `gofannon-db` bin (ESM only; the build
// keeps its `#!/usr/bin/env node` line and makes the file executable). The two builds run
// side by side, so neither cleans `dist`: the build script empties it first.
export default [
  packageBuild({ index: 'src/index.ts' }, { clean: false }),
  packageBuild({ cli: 'src/cli.ts' }, { format: ['esm'], dts: false, clean: false }),
];

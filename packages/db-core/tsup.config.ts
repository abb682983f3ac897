import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  index: 'src/index.ts',
  conformance: 'src/conformance/index.ts',
});

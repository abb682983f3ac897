/**
 * A process that writes log lines through a `TurnBatchedOutput` on stdout and then leaves
 * the way `process.argv[2]` says, before the turn that wrote them has ended: `exit`
 * (process.exit), `throw` (an uncaught exception) or `end` (nothing left to do).
 */
import { TurnBatchedOutput } from '../../src/plugins/log-output';

const output = new TurnBatchedOutput(1);
output.write('{"msg":"first"}\n');
output.write('{"msg":"second"}\n');
const how = process.argv[2];
if (how === 'exit') process.exit(0);
if (how === 'throw') throw new Error('uncaught on purpose');

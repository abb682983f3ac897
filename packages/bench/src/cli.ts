import { runBenchCommand } from './bench-command';
import { USAGE } from './cli-options';

try {
  const { exitCode } = await runBenchCommand(process.argv.slice(2), process.env, (text) =>
    console.log(text),
  );
  process.exitCode = exitCode;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error(`\n${USAGE}`);
  process.exitCode = 2;
}

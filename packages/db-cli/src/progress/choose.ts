import { PlainProgress } from './plain-progress';
import { type ProgressReporter, silentProgress } from './reporter';
import { TtyProgress } from './tty-progress';

/** Bars on a terminal, plain lines otherwise, nothing for `--quiet` and `--json`. */
export function chooseProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  options: { quiet: boolean; json: boolean },
): { progress: ProgressReporter; terminal: boolean } {
  if (options.quiet || options.json) return { progress: silentProgress, terminal: false };
  if (out.isTTY) return { progress: new TtyProgress(out as NodeJS.WriteStream), terminal: true };
  return { progress: new PlainProgress(out), terminal: false };
}

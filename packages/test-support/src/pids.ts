import { readFileSync } from 'node:fs';

/**
 * Whether a process with this pid still runs. A zombie does not count: a server started in
 * a session of its own (the real CouchDB) is reaped by the init process, which may do so a
 * moment after the server exited.
 */
export function isAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The state follows the command name, which is in parentheses and may contain spaces.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

import { readFileSync } from 'node:fs';

/**
 * The fields of `/proc/<pid>/stat` after the command name, or `undefined` when there is no
 * such process (or no `/proc`): `[0]` is the state, `[11]` and `[12]` the user and system
 * CPU time in clock ticks. The command name is in parentheses and may itself hold spaces
 * and parentheses, so the fields start after the last `)`.
 */
export function processStatFields(pid: number): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * Whether a process with this pid still runs. A zombie does not count: a server started in
 * a session of its own (the real CouchDB) is reaped by the init process, which may do so a
 * moment after the server exited.
 */
export function isAlive(pid: number): boolean {
  const fields = processStatFields(pid);
  return fields !== undefined && fields[0] !== 'Z';
}

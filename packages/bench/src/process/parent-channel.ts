/** The IPC channel of a child process the bench started with `spawnTsx`, seen from the child. */

/** Sends `message` to the parent; resolves once it is written. */
export function sendToParent(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) throw new Error('This process must be started with an IPC channel');
    process.send(message, undefined, {}, () => resolve());
  });
}

/** An error as text for the parent: its stack where it has one. */
export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

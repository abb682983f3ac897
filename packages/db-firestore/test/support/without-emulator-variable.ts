/**
 * Runs `make` with FIRESTORE_EMULATOR_HOST unset, then puts it back. The Firestore client
 * prefers that variable to its `host` setting (and the adapter's reachability probe does as
 * the client does); both read it only when a service is made, so a service made here talks
 * to the `host` of its settings, such as a counting proxy in front of the same emulator.
 * Synchronous, so no other code of this process sees the variable missing.
 */
export function withoutEmulatorVariable<T>(make: () => T): T {
  const emulatorHost = process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIRESTORE_EMULATOR_HOST;
  try {
    return make();
  } finally {
    if (emulatorHost !== undefined) process.env.FIRESTORE_EMULATOR_HOST = emulatorHost;
  }
}

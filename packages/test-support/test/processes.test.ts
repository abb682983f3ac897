import * as testing from '@gofannon/db-core/testing';
import { describe, expect, it } from 'vitest';
import {
  externalServerControls,
  freeLoopbackPort,
  hasExited,
  isBeingStopped,
  killOnExit,
  signalAndWait,
  signalProcess,
  stopChild,
} from '../src';

describe('process and port helpers', () => {
  // Their behaviour is tested in db-core (test/testing-*.test.ts), where they live.
  it("are db-core/testing's own functions, so every fixture stops servers the same way", () => {
    expect([
      freeLoopbackPort,
      hasExited,
      isBeingStopped,
      killOnExit,
      signalAndWait,
      signalProcess,
      stopChild,
    ]).toEqual([
      testing.freeLoopbackPort,
      testing.hasExited,
      testing.isBeingStopped,
      testing.killOnExit,
      testing.signalAndWait,
      testing.signalProcess,
      testing.stopChild,
    ]);
  });
});

describe('externalServerControls', () => {
  it('refuses to stop or restart a server the tests did not start, naming it', async () => {
    const controls = externalServerControls('emulator', 'FIRESTORE_EMULATOR_HOST=127.0.0.1:1');
    expect(controls).toMatchObject({ pid: undefined, external: true });
    await expect(controls.stop()).rejects.toThrow(
      'cannot stop an external emulator (FIRESTORE_EMULATOR_HOST=127.0.0.1:1)',
    );
    await expect(controls.restart()).rejects.toThrow(/cannot restart an external emulator/);
    await expect(controls.close()).resolves.toBeUndefined();
  });
});

import { randomBytes } from 'node:crypto';
import type { DatabaseService } from '@gofannon/db-core';
import type { ResolvedOptions } from './options';

/** What each test receives: a fresh service and a collection name no other test uses. */
export interface CaseContext {
  service: DatabaseService;
  /** The clock `service` was made with: it stands still until a case moves it. */
  clock: TestClock;
  collection: string;
  /** Another unused collection name. */
  newCollection(): string;
  options: ResolvedOptions;
  /**
   * Ends the case as skipped, with the reason in the report: for a check that does not
   * apply to this adapter. A case never just returns early, which would look like a pass.
   */
  skip(reason: string): never;
}

/**
 * The clock a suite's services are made with (`ServiceSettings.clock`): it starts at the
 * real time and moves only when a case says, so expiry is tested without waiting.
 */
export class TestClock {
  #ms = Date.now();
  /** Epoch milliseconds by this clock; pass it as a service's `clock`. */
  readonly now = (): number => this.#ms;
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/** An option without which a case does not apply; the case is then reported as skipped. */
export type CaseRequirement = 'outage' | 'inspector' | 'requestGate';

/** One check of the contract. */
export interface ConformanceCase {
  /** The concern it belongs to: one file of the suite. */
  group: string;
  name: string;
  run(context: CaseContext): Promise<void>;
  requires?: CaseRequirement;
  /**
   * The case's own time limit, for a case whose worst case follows from the adapter's
   * settings (the outage cases wait up to `timeoutMs` per call); otherwise `testTimeoutMs`.
   */
  timeoutMs?(options: ResolvedOptions): number;
}

/** Declares the cases of one concern. */
export function defineCases(
  group: string,
  cases: Record<string, (context: CaseContext) => Promise<void>>,
  extra: Pick<ConformanceCase, 'requires' | 'timeoutMs'> = {},
): ConformanceCase[] {
  return Object.entries(cases).map(([name, run]) => ({ group, name, run, ...extra }));
}

/** A random valid collection name, so suites can share one server side by side. */
export function randomCollection(): string {
  return `conf_${randomBytes(6).toString('hex')}`;
}

/** Why a case cannot run with these options, or undefined when it can. */
export function missingRequirement(
  testCase: ConformanceCase,
  options: ResolvedOptions,
): string | undefined {
  if (testCase.requires === undefined || options[testCase.requires] !== undefined) return undefined;
  return MISSING[testCase.requires];
}

const MISSING: Record<CaseRequirement, string> = {
  inspector: 'needs a look at the backend: pass `inspector` to run it',
  outage: 'needs control of the server: pass `outage` to run it',
  requestGate: 'needs to hold and count backend requests: pass `requestGate` to run it',
};

/** The time limit of one case under these options; a case that will be skipped gets the default. */
export function caseTimeoutMs(testCase: ConformanceCase, options: ResolvedOptions): number {
  if (missingRequirement(testCase, options) !== undefined) return options.testTimeoutMs;
  return testCase.timeoutMs?.(options) ?? options.testTimeoutMs;
}

/**
 * Runs one case on a fresh service and closes it afterwards, whatever happens. `skip`
 * ends the case as skipped (vitest's `ctx.skip`, or a {@link CaseSkipped} outside vitest).
 */
export async function runCase(
  testCase: ConformanceCase,
  options: ResolvedOptions,
  skip: (reason: string) => never = throwSkipped,
): Promise<void> {
  const missing = missingRequirement(testCase, options);
  if (missing !== undefined) skip(missing);
  const clock = new TestClock();
  const service = await options.create({ clock: clock.now });
  try {
    await testCase.run({
      service,
      clock,
      collection: randomCollection(),
      newCollection: randomCollection,
      options,
      skip,
    });
  } finally {
    await service.close();
  }
}

/** Runs one step; past `ms` it fails naming the step, whatever the step still does. */
export async function within<T>(step: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${step} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** How a case ends as skipped outside vitest. */
export class CaseSkipped extends Error {
  override readonly name = 'CaseSkipped';
}

function throwSkipped(reason: string): never {
  throw new CaseSkipped(reason);
}

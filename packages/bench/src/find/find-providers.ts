import { measureCouchDb } from './couchdb-find';
import { measureDynamoDbFind } from './dynamodb-find';
import { measureFirestore } from './firestore-find';
import { measureMemory } from './memory-find';
import { measurePostgres } from './postgres-find';
import type { FindBenchSettings, FindCheck, FindProviderResult } from './results';

/** What one provider's `--find` measurement returns: its walks and the targets it checks. */
export interface FindMeasurement {
  result: FindProviderResult;
  checks: FindCheck[];
}

/**
 * Measures the query on one provider: starts (or, from its URL variable in `env`, reuses)
 * the server, loads the documents, walks the pages, stops what it started.
 */
export type MeasureFind = (
  settings: FindBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
) => Promise<FindMeasurement>;

/** Builds a check: `value` passes when at least `min`. */
export function findCheck(name: string, value: number, min: number): FindCheck {
  return { name, value, min, passed: value >= min };
}

/**
 * Every provider `--find` can measure, in the order a run without `--find-providers`
 * measures them. A provider adds one entry here and one file of its own.
 */
export const FIND_PROVIDERS: Readonly<Record<string, MeasureFind>> = {
  memory: async (settings, _env, print) => {
    print(`memory: loading ${settings.documents.toLocaleString('en-US')} documents twice`);
    const result = await measureMemory(settings);
    return {
      result,
      checks: [findCheck('memory: indexed speed-up', result.speedup, settings.minSpeedup)],
    };
  },
  postgres: async (settings, env, print) => {
    const result = await measurePostgres(settings, env, print);
    return {
      result,
      checks: [
        findCheck('postgres: indexed speed-up', result.speedup, settings.minSpeedup),
        findCheck(
          'postgres: adapter / hand-written SQL',
          result.handRatio ?? 0,
          settings.minHandRatio,
        ),
      ],
    };
  },
  couchdb: async (settings, env, print) => {
    const result = await measureCouchDb(settings, env, print);
    return {
      result,
      checks: [
        // The issue's own target for CouchDB (#15), whatever --find's general setting.
        findCheck('couchdb: indexed speed-up', result.speedup, 20),
        findCheck(
          'couchdb: adapter / hand-written view query',
          result.handRatio ?? 0,
          settings.minHandRatio,
        ),
      ],
    };
  },
  dynamodb: measureDynamoDbFind,
  firestore: async (settings, env, print) => {
    const result = await measureFirestore(settings, env, print);
    return {
      result,
      checks: [
        findCheck(
          'firestore: adapter / raw client query',
          result.handRatio ?? 0,
          settings.minHandRatio,
        ),
      ],
    };
  },
};

/** The names of {@link FIND_PROVIDERS}, in run order. */
export const FIND_PROVIDER_NAMES: readonly string[] = Object.keys(FIND_PROVIDERS);

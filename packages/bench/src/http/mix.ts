import { SeededRandom } from '../workload/random';

/** The API's bearer token in the bench; every request of the mix carries it, to every target. */
export const BENCH_TOKEN = 'gofannon-bench-token';

/** How many documents of each kind a server under test holds before the load starts. */
export const SEEDED = { agents: 1000, demos: 1000, users: 100 } as const;

export const agentId = (i: number) => `agent-${i}`;
export const demoId = (i: number) => `demo-${i}`;
export const userId = (i: number) => `user-${i}`;

export interface MixRequest {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: string;
}

/** One kind of request of the mix, with its share of all requests. */
interface MixEntry {
  name: string;
  weight: number;
  make(random: SeededRandom): MixRequest;
}

/**
 * A Gofannon-like load: mostly agent reads, some listing, demo replacements, and usage
 * charges spread over a hundred users (so a charge rarely waits for another on one user).
 */
export const MIX: readonly MixEntry[] = [
  {
    name: 'GET /agents/{id}',
    weight: 70,
    make: (random) => ({ method: 'GET', path: `/agents/${agentId(random.below(SEEDED.agents))}` }),
  },
  {
    name: 'GET /agents?limit=20',
    weight: 10,
    make: () => ({ method: 'GET', path: '/agents?limit=20' }),
  },
  {
    name: 'PUT /demos/{id}',
    weight: 15,
    make: (random) => ({
      method: 'PUT',
      path: `/demos/${demoId(random.below(SEEDED.demos))}`,
      body: JSON.stringify({ name: `Demo ${random.below(1e6)}`, config: { theme: 'dark' } }),
    }),
  },
  {
    name: 'POST /users/{id}/usage',
    weight: 5,
    make: (random) => ({
      method: 'POST',
      path: `/users/${userId(random.below(SEEDED.users))}/usage`,
      body: JSON.stringify({ response_cost: 0.01 }),
    }),
  },
];

/** Picks the next request of the mix, by weight, from a seeded generator. */
export function mixPicker(seed: number): () => MixRequest {
  const random = new SeededRandom(seed);
  const total = MIX.reduce((sum, entry) => sum + entry.weight, 0);
  return () => {
    let ticket = random.below(total);
    for (const entry of MIX) {
      if (ticket < entry.weight) return entry.make(random);
      ticket -= entry.weight;
    }
    throw new Error('unreachable: the tickets cover every weight');
  };
}

import { GOFANNON_COLLECTIONS, type GofannonCollection, type JsonObject } from '@gofannon/db-core';
import type { SeededRandom } from './random';

/** The six collections the Gofannon services keep, each with its own document shape. */
export const COLLECTIONS = GOFANNON_COLLECTIONS;
export type CollectionName = GofannonCollection;

const WORDS = (
  'invoice summary customer report weather forecast ticket search index document ' +
  'translate schedule meeting budget review contract release incident metric ' +
  'dashboard upload archive policy request answer question source quickly carefully ' +
  'with from into the a for and'
).split(' ');
const VERBS = ['summarize', 'classify', 'extract', 'draft', 'route', 'translate', 'triage', 'plan'];
const MODELS = ['gpt-4o-mini', 'claude-sonnet', 'gemini-flash', 'llama-3-70b'];
const FIRST_NAMES = ['Ada', 'Bryn', 'Carys', 'Dylan', 'Eleri', 'Gwen', 'Idris', 'Rhys', 'Tomos'];
const LAST_NAMES = ['Evans', 'Hughes', 'Jones', 'Morgan', 'Price', 'Roberts', 'Thomas', 'Wyn'];

/** Timestamps fall in the year after this instant, so documents look recent but vary. */
const EPOCH_MS = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

function words(random: SeededRandom, min: number, max: number): string {
  const count = random.between(min, max);
  const picked: string[] = [];
  for (let i = 0; i < count; i++) picked.push(random.pick(WORDS));
  return picked.join(' ');
}

function timestamp(random: SeededRandom): string {
  return new Date(EPOCH_MS + random.below(YEAR_MS)).toISOString();
}

function later(iso: string, random: SeededRandom, maxMs: number): string {
  return new Date(Date.parse(iso) + random.below(maxMs)).toISOString();
}

function agentCode(random: SeededRandom, name: string): string {
  const lines = [`async def ${name}(input, tools, models):`];
  const steps = random.between(6, 20);
  for (let step = 0; step < steps; step++) {
    lines.push(`    step_${step} = await tools.call("${random.pick(VERBS)}", input["query"])`);
    if (random.chance(0.3)) lines.push(`    # ${words(random, 4, 10)}`);
  }
  lines.push(`    return {"answer": step_${steps - 1}, "model": "${random.pick(MODELS)}"}`);
  return lines.join('\n');
}

function agent(random: SeededRandom): JsonObject {
  const verb = random.pick(VERBS);
  const noun = random.pick(WORDS);
  const createdAt = timestamp(random);
  const gofannonAgents: string[] = [];
  for (let i = random.below(4); i > 0; i--) gofannonAgents.push(random.uuid());
  return {
    name: `${verb}_${noun}_${random.between(1, 999)}`,
    friendly_name: `${verb[0]?.toUpperCase()}${verb.slice(1)} ${noun}`,
    description: words(random, 12, 40),
    code: agentCode(random, `${verb}_${noun}`),
    tools: {
      mcp: Array.from(
        { length: random.between(0, 3) },
        () => `https://mcp.example.test/${random.pick(WORDS)}`,
      ),
      swagger: Array.from({ length: random.between(0, 2) }, () => `${random.pick(WORDS)}-api.yaml`),
      gofannon: Array.from({ length: random.between(1, 4) }, () => random.pick(VERBS)),
    },
    input_schema: {
      type: 'object',
      properties: { query: { type: 'string', description: words(random, 4, 10) } },
      required: ['query'],
    },
    output_schema: {
      type: 'object',
      properties: {
        answer: { type: 'string' },
        sources: { type: 'array', items: { type: 'string' } },
      },
    },
    gofannon_agents: gofannonAgents,
    created_at: createdAt,
    updated_at: later(createdAt, random, YEAR_MS / 12),
  };
}

function deployment(random: SeededRandom): JsonObject {
  return { agentId: random.uuid() };
}

function user(random: SeededRandom): JsonObject {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const createdAt = timestamp(random);
  const usage = Array.from({ length: random.between(18, 22) }, () => ({
    timestamp: later(createdAt, random, YEAR_MS / 4),
    model: random.pick(MODELS),
    input_tokens: random.between(50, 8000),
    output_tokens: random.between(20, 2000),
    response_cost: Math.round(random.next() * 10_000) / 100_000,
  }));
  return {
    basic_info: {
      display_name: `${first} ${last}`,
      email: `${first}.${last}${random.below(100)}@example.test`.toLowerCase(),
    },
    billing_info: {
      plan: random.pick(['free', 'pro', 'team']),
      status: random.chance(0.9) ? 'active' : 'past_due',
      customer_id: `cus_${random.uuid().slice(0, 14)}`,
    },
    usage_info: {
      monthly_allowance: random.pick([10, 50, 100]),
      allowance_reset_date: later(createdAt, random, YEAR_MS / 12),
      spend_remaining: Math.round(random.next() * 10_000) / 100,
      usage,
    },
    created_at: createdAt,
  };
}

function session(random: SeededRandom): JsonObject {
  const startedAt = timestamp(random);
  let clock = Date.parse(startedAt);
  const messages = Array.from({ length: random.between(8, 12) }, (_, index) => {
    clock += random.between(1_000, 120_000);
    return {
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: words(random, index % 2 === 0 ? 5 : 20, index % 2 === 0 ? 25 : 80),
      timestamp: new Date(clock).toISOString(),
    };
  });
  return {
    user_id: random.uuid(),
    agent_id: random.uuid(),
    messages,
    metadata: {
      title: words(random, 2, 6),
      model: random.pick(MODELS),
      temperature: random.pick([0, 0.2, 0.7, 1]),
      tags: Array.from({ length: random.between(0, 3) }, () => random.pick(WORDS)),
    },
    created_at: startedAt,
    updated_at: new Date(clock).toISOString(),
  };
}

function ticket(random: SeededRandom): JsonObject {
  const status = random.pick(['pending', 'running', 'completed']);
  const createdAt = timestamp(random);
  return {
    status,
    request: { agent_id: random.uuid(), input: { query: words(random, 5, 30) } },
    result:
      status === 'completed'
        ? { answer: words(random, 20, 100), model: random.pick(MODELS) }
        : null,
    error: null,
    created_at: createdAt,
    updated_at: later(createdAt, random, 600_000),
  };
}

function demo(random: SeededRandom): JsonObject {
  return {
    name: `${random.pick(VERBS)} ${random.pick(WORDS)} demo`,
    description: words(random, 10, 30),
    agent_id: random.uuid(),
    config: {
      theme: random.pick(['light', 'dark']),
      welcome_message: words(random, 5, 15),
      suggested_prompts: Array.from({ length: random.between(2, 5) }, () => words(random, 3, 8)),
      max_turns: random.pick([5, 10, 20]),
    },
    is_public: random.chance(0.4),
    created_at: timestamp(random),
  };
}

/** A generator of plausible documents for each collection. */
export const SHAPES: Record<CollectionName, (random: SeededRandom) => JsonObject> = {
  agents: agent,
  deployments: deployment,
  users: user,
  sessions: session,
  tickets: ticket,
  demos: demo,
};

import type { DatabaseService, JsonObject } from '@gofannon/db-core';
import { canonicalJson } from '../../src/verify/canonical-json';

/** Documents shaped like the Gofannon collections, with awkward ids and values mixed in. */
export function gofannonDocuments(perCollection: number): Map<string, Map<string, JsonObject>> {
  const out = new Map<string, Map<string, JsonObject>>();
  const add = (collection: string, id: string, doc: JsonObject) => {
    const docs = out.get(collection) ?? new Map<string, JsonObject>();
    out.set(collection, docs);
    docs.set(id, doc);
  };
  for (let i = 0; i < perCollection; i++) {
    const agentId = `5f0c${String(i).padStart(4, '0')}-7a1e-4c2b-9d3f-${String(i * 7919).padStart(12, '0')}`;
    add('agents', agentId, {
      name: `Agent ${i}`,
      description: i % 3 === 0 ? 'Résumé agent ✓ — handles ünïcödé' : `agent number ${i}`,
      code: `def run(input):\n    return {"n": ${i}}\n`,
      friendly_name: `agent-${i}`,
      tools: { search: { enabled: i % 2 === 0, limits: [1, 2.5, -3e-7] } },
      swagger_specs: [],
      input_schema: { type: 'object', properties: { q: { type: 'string' } } },
      output_schema: null,
      gofannon_agents: i > 0 ? [`agent-${i - 1}`] : [],
      created_at: new Date(Date.UTC(2024, 0, 1 + (i % 28))).toISOString(),
    });
    add('deployments', `agent-${i}`, { agentId });
    add('users', `user_google_${100000 + i}`, {
      basic_info: { display_name: `User ${i}`, email: `user${i}@example.com` },
      billing_info: { plan: i % 5 === 0 ? 'pro' : 'free', status: 'active' },
      usage_info: { daily_usage: i * 1.25, spend_remaining: 100 - i, usage: [[i, 'x'], []] },
    });
    add('sessions', `session_${i}`, {
      user_id: `user_google_${100000 + i}`,
      agent_id: agentId,
      messages: [
        { role: 'user', content: `hello ${i}`, timestamp: 1_700_000_000 + i },
        { role: 'assistant', content: 'hi 👋', timestamp: 1_700_000_001 + i },
      ],
    });
    add('tickets', `ticket-${i}`, {
      status: ['pending', 'running', 'done'][i % 3] ?? 'done',
      result: i % 3 === 2 ? { ok: true, value: i } : null,
    });
    add('demos', `demo-${i}`, { name: `Demo ${i}`, model_config: { temperature: 0.7, top_p: 1 } });
  }
  // Ids every adapter must keep as they are.
  for (const id of ['a/b', '.', '..', '_design/x', '__x__', '%2F', 'with space', '🚀 launch']) {
    add('demos', id, { name: `odd id ${id}`, nested: { deep: [[[{ ok: true }]]] } });
  }
  return out;
}

/** Saves documents with `saveMany`, failing on any refused item. */
export async function seed(
  service: DatabaseService,
  documents: Map<string, Map<string, JsonObject>>,
): Promise<void> {
  for (const [collection, docs] of documents) {
    const items = [...docs].map(([id, doc]) => ({ id, doc }));
    for (let i = 0; i < items.length; i += 200) {
      const results = await service.saveMany(collection, items.slice(i, i + 200));
      const failed = results.find((result) => 'error' in result);
      if (failed && 'error' in failed) throw failed.error;
    }
  }
}

/** Every document of the given collections as `collection/id -> canonical content`. */
export async function snapshot(
  service: DatabaseService,
  collections: Iterable<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const collection of collections) {
    for (const { _id, _rev, ...body } of await service.listAll(collection)) {
      out.set(`${collection}/${_id}`, canonicalJson(body));
    }
  }
  return out;
}

/** `collection/id -> revision`, to show that a run wrote nothing. */
export async function revisions(
  service: DatabaseService,
  collections: Iterable<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const collection of collections) {
    for (const doc of await service.listAll(collection))
      out.set(`${collection}/${doc._id}`, doc._rev);
  }
  return out;
}

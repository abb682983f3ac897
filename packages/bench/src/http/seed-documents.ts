import { agentId, demoId, SEEDED, userId } from './mix';

const TIME = '2026-01-01T00:00:00.000Z';

/** The documents both servers hold before the load: the same for the API and the baseline. */
export function* seedDocuments(): Generator<{ collection: string; id: string; doc: object }> {
  for (let i = 0; i < SEEDED.agents; i++) {
    yield {
      collection: 'agents',
      id: agentId(i),
      doc: {
        name: `Agent ${i}`,
        description: 'Answers questions about the weather',
        code: 'def handler(event):\n    return {"ok": True}\n',
        tools: { web: ['web_search', 'web_fetch'] },
        input_schema: { query: 'string' },
        output_schema: { results: 'array' },
        created_at: TIME,
        updated_at: TIME,
      },
    };
  }
  for (let i = 0; i < SEEDED.demos; i++) {
    yield {
      collection: 'demos',
      id: demoId(i),
      doc: { name: `Demo ${i}`, config: { theme: 'light' }, created_at: TIME, updated_at: TIME },
    };
  }
  for (let i = 0; i < SEEDED.users; i++) {
    yield {
      collection: 'users',
      id: userId(i),
      doc: {
        basic_info: { display_name: `User ${i}`, email: `user${i}@example.com` },
        usage_info: { monthly_allowance: 1000, spend_remaining: 1000, usage: [] },
        created_at: TIME,
        updated_at: TIME,
      },
    };
  }
}

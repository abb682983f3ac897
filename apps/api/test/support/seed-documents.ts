/** Request bodies shaped like the seed's documents, one factory per collection. */

export function agentBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'WeatherBot',
    description: 'Answers questions about the weather',
    code: 'def handler(event):\n    return {}',
    friendly_name: 'weather-bot',
    tools: { web: ['web_search', 'web_fetch'] },
    input_schema: { query: 'string' },
    output_schema: { results: 'array' },
    gofannon_agents: [],
    ...overrides,
  };
}

export function userBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    _id: id,
    basic_info: { display_name: 'Ada Lovelace', email: 'ada@example.com', provider: 'google' },
    billing_info: { plan: 'free', status: 'active' },
    usage_info: { monthly_allowance: 100, spend_remaining: 100, usage: [] },
    ...overrides,
  };
}

export function sessionBody(id: string, overrides: Record<string, unknown> = {}) {
  return { _id: id, user_id: 'user_1', agent_id: 'agent_1', messages: [], ...overrides };
}

export function ticketBody(id: string, overrides: Record<string, unknown> = {}) {
  return { _id: id, request: { agent_id: 'agent_1', input: { query: 'rain?' } }, ...overrides };
}

export function demoBody(id: string, overrides: Record<string, unknown> = {}) {
  return { _id: id, name: 'Chat demo', config: { theme: 'dark' }, is_public: true, ...overrides };
}

export function deploymentBody(id: string, agentId: string) {
  return { _id: id, agentId };
}

import { type DatabaseService, isDatabaseError } from '@gofannon/db-core';

/**
 * Walks through the interface on a real service: what a newcomer wants to see working.
 * Every step prints one line through `log`.
 */
export async function tour(db: DatabaseService, log: (line: string) => void): Promise<void> {
  log(`provider: ${db.provider} (documents up to ${db.capabilities.maxDocumentBytes} bytes)`);

  const agent = await db.save('agents', 'weather-bot', {
    name: 'WeatherBot',
    description: 'Answers questions about the weather',
    tools: { web: ['web_search'] },
    created_at: new Date('2024-01-15T10:30:00Z'),
  });
  log(`saved agents/weather-bot at revision ${agent.rev}`);

  const read = await db.get('agents', 'weather-bot');
  log(`read it back: ${read.name}, created_at ${String(read.created_at)}`);

  await db.save(
    'agents',
    'weather-bot',
    { ...read, description: 'Forecasts too' },
    { ifRev: agent.rev },
  );
  log('updated it with ifRev (optimistic concurrency)');

  try {
    await db.save('agents', 'weather-bot', { name: 'stale' }, { ifRev: agent.rev });
  } catch (error) {
    if (!isDatabaseError(error)) throw error;
    log(`a second update with the old revision is refused: ${error.status} ${error.code}`);
  }

  const sessions = await db.saveMany(
    'sessions',
    Array.from({ length: 250 }, (_, i) => ({
      id: `session-${i}`,
      doc: { agent_id: 'weather-bot', messages: [] },
    })),
  );
  log(`saveMany stored ${sessions.filter((r) => 'rev' in r).length} sessions`);

  let pages = 0;
  let seen = 0;
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<DatabaseService['list']>> = await db.list('sessions', {
      limit: 100,
      cursor,
    });
    pages += 1;
    seen += page.documents.length;
    cursor = page.nextCursor;
  } while (cursor);
  log(`listed them back in ${pages} pages of up to 100: ${seen} documents`);

  try {
    await db.get('agents', 'no-such-agent');
  } catch (error) {
    if (!isDatabaseError(error)) throw error;
    log(`a missing document is ${error.status} ${error.code}`);
  }

  try {
    await db.save('agents', 'bad', { score: Number.NaN });
  } catch (error) {
    if (!isDatabaseError(error)) throw error;
    log(`bad input is ${error.status} ${error.code}: ${error.message}`);
  }
}

import { MemoryDatabaseService } from '@gofannon/db-memory';
import { expect, it } from 'vitest';
import { tour } from '../src/tour';

it('runs the whole tour on the memory provider', async () => {
  const lines: string[] = [];
  await tour(new MemoryDatabaseService(), (line) => lines.push(line));
  expect(lines[0]).toMatch(/^provider: memory/);
  expect(lines).toContain('read it back: WeatherBot, created_at 2024-01-15T10:30:00.000Z');
  expect(lines).toContain('a second update with the old revision is refused: 409 conflict');
  expect(lines).toContain('saveMany stored 250 sessions');
  expect(lines).toContain('listed them back in 3 pages of up to 100: 250 documents');
  expect(lines).toContain('a missing document is 404 not_found');
  expect(lines.at(-1)).toMatch(/^bad input is 400 invalid: Invalid value at \/score/);
});

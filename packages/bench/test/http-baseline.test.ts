import { describe, expect, it } from 'vitest';
import { buildMapBaselineApp } from '../src/http/map-baseline-app';
import { BENCH_TOKEN } from '../src/http/mix';

const authorization = `Bearer ${BENCH_TOKEN}`;

describe("the HTTP bench's baseline", () => {
  it('is bare: answers without a token', async () => {
    const app = buildMapBaselineApp();
    try {
      const answer = await app.inject({ method: 'GET', url: '/agents/agent-1' });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ _id: 'agent-1', name: 'Agent 1' });
    } finally {
      await app.close();
    }
  });

  it("with the API's request log and token check: one line per answer, 401 without the token", async () => {
    const lines: string[] = [];
    const app = buildMapBaselineApp({
      requestLog: { destination: { write: (line) => lines.push(line) } },
      bearerToken: BENCH_TOKEN,
    });
    try {
      const refused = await app.inject({ method: 'GET', url: '/agents/agent-1' });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
      const answered = await app.inject({
        method: 'GET',
        url: '/agents/agent-2',
        headers: { authorization },
      });
      expect(answered.statusCode).toBe(200);
      const completed = lines
        .map((line) => JSON.parse(line))
        .filter((line) => line.msg === 'request completed');
      expect(completed.map((line) => [line.req.url, line.res.statusCode])).toEqual([
        ['/agents/agent-1', 401],
        ['/agents/agent-2', 200],
      ]);
      // One line per request, as the API writes: no "incoming request" line.
      expect(lines.some((line) => line.includes('incoming request'))).toBe(false);
    } finally {
      await app.close();
    }
  });
});

import type { JsonValue, Query, WhereClause } from '@gofannon/db-core';
import { describe, expect, it } from 'vitest';
import { MemoryDatabaseService } from '../src';

async function fill(service: MemoryDatabaseService, count: number): Promise<void> {
  const items = Array.from({ length: count }, (_, n) => ({
    id: `d${n}`,
    doc: { kind: n % 10, n, m: count - n },
  }));
  for (let start = 0; start < count; start += 1000) {
    await service.saveMany('c', items.slice(start, start + 1000));
  }
}

async function walk(service: MemoryDatabaseService, query: Query): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await service.find('c', { ...query, cursor });
    ids.push(...page.documents.map((doc) => doc._id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('MemoryDatabaseService queries', () => {
  it('reads only the page for a query its index serves, and the whole collection without one', async () => {
    const service = new MemoryDatabaseService();
    await fill(service, 10_000);
    await service.ensureIndex('c', { fields: ['kind', 'n'] });
    const query: Query = {
      where: [['kind', '==', 3]],
      orderBy: { field: 'n', direction: 'desc' },
      limit: 20,
      requireIndex: true,
    };
    const before = service.documentsRead;
    const first = await service.find('c', query);
    expect(service.documentsRead - before).toBe(20);
    expect(first.documents.map((doc) => doc.n)).toEqual(
      Array.from({ length: 20 }, (_, i) => 9993 - 10 * i),
    );
    const second = await service.find('c', { ...query, cursor: first.nextCursor });
    expect(service.documentsRead - before).toBe(40);
    expect(second.documents[0]?.n).toBe(9793);

    const scanned = service.documentsRead;
    await service.find('c', { where: [['kind', '==', 3]], orderBy: { field: 'm' }, limit: 20 });
    expect(service.documentsRead - scanned).toBeGreaterThanOrEqual(10_000);
  });

  it('reads only as far as its page for a query in id order, with no index', async () => {
    const service = new MemoryDatabaseService();
    await fill(service, 10_000);
    const before = service.documentsRead;
    const first = await service.find('c', { limit: 20 });
    expect(service.documentsRead - before).toBe(21);
    const second = await service.find('c', { limit: 20, cursor: first.nextCursor });
    expect((second.documents[0]?._id ?? '') > (first.documents.at(-1)?._id ?? '')).toBe(true);
    const filtered = service.documentsRead;
    const page = await service.find('c', {
      where: [['kind', '==', 3]],
      orderBy: { field: '_id', direction: 'desc' },
      limit: 20,
    });
    expect(page.documents.every((doc) => doc.kind === 3)).toBe(true);
    // A tenth of the documents match: about 210 read for 21 matches, not 10,000.
    expect(service.documentsRead - filtered).toBeLessThan(1_000);
  });

  it('answers exactly as the scan does, for random data, queries and page sizes', async () => {
    const next = random(14);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const values: Array<JsonValue | undefined> = [
      null,
      false,
      true,
      0,
      1,
      2,
      2.5,
      -1,
      '',
      'a',
      'B',
      '\uE000',
      '\u{10000}',
      [1],
      { x: 1 },
      undefined,
    ];
    const scalars = values.filter(
      (v) => v !== undefined && (v === null || typeof v !== 'object'),
    ) as Array<null | boolean | number | string>;
    const indexed = new MemoryDatabaseService();
    const scanned = new MemoryDatabaseService();
    const indexes = [['a'], ['a', 'b'], ['b', 'a'], ['b']];
    for (const fields of indexes) await indexed.ensureIndex('c', { fields });
    for (let n = 0; n < 300; n++) {
      const doc: Record<string, JsonValue> = {};
      const a = pick(values);
      const b = pick(values);
      if (a !== undefined) doc.a = a;
      if (b !== undefined) doc.b = b;
      const id = `${pick(['x', 'é', '\uFFFF', '\u{10000}'])}${n % 37}`;
      // Writes after the index exist too: overwrites and deletes keep it current.
      await indexed.save('c', id, doc);
      await scanned.save('c', id, doc);
      if (n % 11 === 0) {
        await indexed.delete('c', id);
        await scanned.delete('c', id);
      }
    }
    for (let round = 0; round < 300; round++) {
      const equality = pick(['a', 'b']);
      const sorted = equality === 'a' ? 'b' : 'a';
      const where: WhereClause[] = [];
      if (next() < 0.8) {
        where.push(
          next() < 0.5
            ? [equality, '==', pick(scalars)]
            : [equality, 'in', [pick(scalars), pick(scalars), pick(scalars)]],
        );
      }
      if (next() < 0.5) where.push([sorted, pick(['<', '<=', '>', '>='] as const), pick(scalars)]);
      if (next() < 0.3) where.push([sorted, pick(['<', '<=', '>', '>='] as const), pick(scalars)]);
      if (next() < 0.2) where.push(['_id', 'in', ['x2', 'é3', '\uFFFF1', '\u{10000}4']]);
      const query: Query = { where, limit: 1 + Math.floor(next() * 7) };
      if (next() < 0.7)
        query.orderBy = { field: sorted, direction: pick(['asc', 'desc'] as const) };
      const expected = await walk(scanned, query);
      expect([round, query, await walk(indexed, query)]).toEqual([round, query, expected]);
    }
  });
});

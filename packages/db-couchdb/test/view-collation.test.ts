// The adapter picks the tighter of two view-key bounds with its own comparison
// (`compareKeys`); this checks that comparison against the order real CouchDB gives a
// raw-collation view, for every kind of element the keys and bounds hold.
import { randomCollection } from '@gofannon/db-core/conformance';
import { type CouchServer, useCouchServer } from '@gofannon/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ABOVE, compareKeys, type ViewKeyPart } from '../src/view-keys';
import { rawCouch } from './support/couch-inspector';

let server: CouchServer;
beforeAll(async () => {
  server = await useCouchServer();
});
afterAll(async () => {
  await server?.close();
});

const raw = rawCouch(() => server);

const KEYS: ViewKeyPart[] = [
  [],
  [[0, null]],
  [[1, false]],
  [[1, true]],
  [[2, -1.5]],
  [[2, 0]],
  [[2, 1]],
  [[2, 1e21]],
  [[3, '']],
  [[3, 'B']],
  [[3, 'a']],
  [[3, 'é']],
  [[3, '\uE000']],
  [[3, '\uFFFF']],
  [[3, '\u{10000}']],
  [[3, 'a'], ['id']],
  [
    [3, 'a'],
    ['id', ABOVE],
  ],
  [[3, 'a', ABOVE]],
  [[3]],
  [[4]],
  [[3, 'a'], ABOVE],
  [ABOVE],
  [null],
  [false],
  [true],
  [7],
];

it('orders view keys as CouchDB raw collation does', async ({ skip }) => {
  if (server.kind === 'pouchdb')
    skip(`raw collation is real CouchDB's; this is ${server.description}`);
  const db = randomCollection();
  expect((await raw(db, { method: 'PUT' })).status).toBe(201);
  const docs = KEYS.map((k, i) => ({ _id: `k${i}`, k }));
  docs.push({
    _id: '_design/order',
    views: {
      order: { map: 'function (doc) { emit(doc.k, null); }', options: { collation: 'raw' } },
    },
  } as never);
  const saved = await raw(`${db}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs }) });
  expect(saved.status).toBe(201);
  const answer = await raw(`${db}/_design/order/_view/order`);
  const { rows } = (await answer.json()) as { rows: Array<{ key: ViewKeyPart }> };
  const byCouchDb = rows.map((row) => JSON.stringify(row.key));
  const byAdapter = [...KEYS].sort(compareKeys).map((key) => JSON.stringify(key));
  expect(byAdapter).toEqual(byCouchDb);
});

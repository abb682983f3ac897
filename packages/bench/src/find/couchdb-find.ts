import { randomBytes } from 'node:crypto';
import { CouchDbDatabaseService } from '@gofannon/db-couchdb';
import { couchServerFromEnv, startCouchServer } from '@gofannon/test-support';
import nano from 'nano';
import { describeServer, dropDatabases } from '../providers/couchdb';
import { startWireProxyFor, type WireProxy } from '../providers/wire-proxy';
import { findDocuments, findQuery, INDEX_FIELDS, QUERIED_STATUS } from './dataset';
import type { FindBenchSettings, FindProviderResult, FindWalk } from './results';
import { type PageReader, pairedRatio, perPage, timedWalk } from './walk';

/** What `handRatio` compares the adapter with. */
const HAND_NAME = 'hand-written view query';

/** Building the view of 100,000 documents takes a while: no call of the bench is cut short. */
const TIMEOUT_MS = 600_000;

/**
 * The query on CouchDB (`COUCHDB_URL`, else a local server as the table bench starts):
 * the adapter on a database without the index (core's scan of `_all_docs`) and on one
 * with it (after ensureIndex, which builds the view), and a hand-written query of the
 * same view through nano, alternating walk by walk with the adapter. Everything goes
 * through one counting proxy, for requests per page; documents examined are the rows
 * CouchDB's answers held (`_all_docs` and view rows, each with its document), counted on
 * a separate, untimed walk of each reader.
 */
export async function measureCouchDb(
  settings: FindBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<FindProviderResult> {
  const server = couchServerFromEnv(env) ?? (await startCouchServer());
  const proxy = await startWireProxyFor(server, server.url);
  const run = `bench_${randomBytes(6).toString('hex')}_find_`;
  const connection = { url: proxy.url, user: server.user, password: server.password };
  const adapter = new CouchDbDatabaseService({
    ...connection,
    databasePrefix: run,
    timeoutMs: TIMEOUT_MS,
  });
  try {
    print(`couchdb: loading ${settings.documents.toLocaleString('en-US')} documents twice`);
    for (const items of findDocuments(settings.documents, settings.seed)) {
      for (const collection of ['plain', 'indexed']) await adapter.saveMany(collection, items);
    }
    print('couchdb: ensureIndex (builds the view)');
    await adapter.ensureIndex('indexed', { fields: INDEX_FIELDS });

    const reader =
      (collection: string): PageReader =>
      async (cursor) =>
        (await adapter.find(collection, { ...findQuery(settings.pageSize), cursor })).nextCursor;
    const hand = await handWrittenViewQuery(connection, `${run}indexed`, settings.pageSize);
    const readers: Record<string, PageReader> = {
      unindexed: reader('plain'),
      indexed: reader('indexed'),
      [HAND_NAME]: hand,
    };

    // Unmeasured first walks: connections opened, the view's pages cached. The scan reads
    // the whole database on every page: its first page warms it.
    for (const name of ['indexed', HAND_NAME])
      await timedWalk(readers[name] as PageReader, settings.pages);
    print('couchdb: measuring');
    const times: Record<string, number[][]> = { unindexed: [], indexed: [], [HAND_NAME]: [] };
    // Every unindexed page reads the whole database: one walk says enough.
    times.unindexed?.push(await timedWalk(readers.unindexed as PageReader, settings.pages));
    for (let round = 0; round < settings.rounds; round++) {
      // Alternating, so drift on a shared machine lands on both.
      const order = round % 2 === 0 ? ['indexed', HAND_NAME] : [HAND_NAME, 'indexed'];
      for (const name of order) {
        times[name]?.push(await timedWalk(readers[name] as PageReader, settings.pages));
      }
    }

    const walks: FindWalk[] = [];
    const notes: string[] = [];
    for (const [name, read] of Object.entries(readers)) {
      // A scan's page is the same work each time (seconds at 100,000 documents): two tell it.
      const examinedPages = name === 'unindexed' ? Math.min(2, settings.pages) : settings.pages;
      const examined = await examineWalk(proxy, read, examinedPages);
      notes.push(
        `${name}: ${examined.requestsPerPage.toFixed(2)} requests per page (${examined.paths.join(', ')})`,
      );
      walks.push({
        name,
        pages: times[name]?.[0]?.length ?? 0,
        ...perPage(times[name] ?? []),
        examinedPerPage: examined.rowsPerPage,
      });
    }
    const [unindexed, indexed] = walks as [FindWalk, FindWalk];
    return {
      provider: 'couchdb',
      backend: describeServer(server),
      examinedBy:
        "rows in CouchDB's answers to each page's requests (_all_docs or view rows, each with its document), one more untimed walk (2 pages of the scan)",
      walks,
      speedup: unindexed.msPerPage / indexed.msPerPage,
      handRatio: pairedRatio(times[HAND_NAME] ?? [], times.indexed ?? []),
      handName: HAND_NAME,
      notes,
    };
  } finally {
    await adapter.close();
    try {
      await dropDatabases(server, run);
    } finally {
      await proxy.close();
      await server.close();
    }
  }
}

/**
 * What an application would write by hand against the adapter's index view: the view
 * found in `_all_docs` (its one design document), its key layout known
 * (`[[rank, value] per field, [id]]`, ranks 2 number and 3 string), one POST per page of
 * `limit + 1` rows, descending, the next page starting at the extra row's key: CouchDB's
 * own paging recipe. Its cursor is that key as JSON; no validation, no conversion of the
 * documents.
 */
async function handWrittenViewQuery(
  connection: { url: string; user: string; password: string },
  db: string,
  pageSize: number,
): Promise<PageReader> {
  const url = new URL(connection.url);
  url.username = encodeURIComponent(connection.user);
  url.password = encodeURIComponent(connection.password);
  const couch = nano({ url: url.toString() });
  const designs = (await couch.request({
    db,
    path: '_all_docs',
    qs: { startkey: '_design/', endkey: '_design0' },
  })) as { rows: Array<{ id: string }> };
  const design = designs.rows[0]?.id as string;
  const path = `_design/${encodeURIComponent(design.slice('_design/'.length))}/_view/find`;
  const status = [3, QUERIED_STATUS];
  return async (cursor) => {
    const result = (await couch.request({
      db,
      method: 'post',
      path,
      body: {
        startkey: cursor === null ? [status, ''] : JSON.parse(cursor),
        endkey: [status],
        descending: true,
        limit: pageSize + 1,
        include_docs: true,
      },
    })) as { rows: Array<{ key: unknown; doc: unknown }> };
    const next = result.rows[pageSize];
    return next === undefined ? null : JSON.stringify(next.key);
  };
}

/** One more walk, untimed: requests through the proxy, and rows in CouchDB's answers. */
async function examineWalk(proxy: WireProxy, read: PageReader, pages: number) {
  const counted = countingRows();
  proxy.reset();
  try {
    const walked = (await timedWalk(read, pages)).length;
    return {
      requestsPerPage: proxy.counts().requests / walked,
      rowsPerPage: counted.rows / walked,
      paths: [...counted.paths],
    };
  } finally {
    counted.stop();
  }
}

/**
 * Counts the rows of every `_all_docs` and view answer while it runs: nano calls the
 * global `fetch`, which this wraps (a copy of each answer is read; the caller's is
 * untouched).
 */
function countingRows() {
  const original = globalThis.fetch;
  const counted = { rows: 0, paths: new Set<string>(), stop: () => {} };
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const path = decodeURIComponent(
      new URL(String(input instanceof Request ? input.url : input)).pathname,
    );
    if (/\/(_all_docs|_view\/)/.test(path)) {
      const body = (await response.clone().json()) as {
        rows?: unknown[];
        results?: Array<{ rows: unknown[] }>;
      };
      counted.rows +=
        body.rows?.length ?? (body.results ?? []).reduce((n, result) => n + result.rows.length, 0);
      counted.paths.add(`${(init?.method ?? 'GET').toUpperCase()} ${path.replace(/^\/[^/]+/, '')}`);
    }
    return response;
  };
  counted.stop = () => {
    globalThis.fetch = original;
  };
  return counted;
}

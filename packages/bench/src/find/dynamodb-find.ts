import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDatabaseService } from '@gofannon/db-dynamodb';
import { dynamoClientConfig, dynamoServerFromEnv, startDynamoServer } from '@gofannon/test-support';
import { describeServer, dropTables } from '../providers/dynamodb';
import { findDocuments, findQuery, INDEX_FIELDS, QUERIED_STATUS } from './dataset';
import { type CapacityCounts, startCapacityProxy } from './dynamodb-capacity';
import type { MeasureFind } from './find-providers';
import type { FindCheck, FindProviderResult, FindWalk } from './results';
import { type PageReader, pairedRatio, perPage, timedWalk } from './walk';

/** The target: an indexed page at least this many times cheaper in read capacity than a scanned one. */
export const MIN_CAPACITY_ADVANTAGE = 20;
/**
 * Timed pages of the unindexed walk: each one scans the whole table, so a few say as much
 * as many, and 50 of them over 100,000 items would take minutes.
 */
const UNINDEXED_PAGES = 5;
const HAND = 'hand-written Query';

/**
 * The query on DynamoDB (`DYNAMODB_ENDPOINT_URL`, else a DynamoDB Local started now): one
 * table, loaded once, with the index; a service that called `ensureIndex` reads it by
 * Query on the GSI, one that did not by Scan with a filter. A hand-written Query on the
 * same GSI walks alternately with the adapter. Items read (`ScannedCount`), capacity
 * (`ReturnConsumedCapacity`) and requests per page come from one more untimed walk of
 * each through a proxy that asks for them (on DynamoDB Local only: it rewrites requests).
 */
export const measureDynamoDbFind: MeasureFind = async (settings, env, print) => {
  const server = dynamoServerFromEnv(env) ?? (await startDynamoServer());
  const proxy = server.external ? undefined : await startCapacityProxy(server.endpoint);
  const run = `bench_${randomBytes(6).toString('hex')}_find_`;
  const config = dynamoClientConfig(server);
  const make = (endpoint = config.endpoint) =>
    new DynamoDbDatabaseService({
      client: { ...config, endpoint },
      tablePrefix: run,
      timeoutMs: 600_000,
    });
  const indexedService = make();
  const scanningService = make();
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  try {
    const started = performance.now();
    // Made before the load: every save writes the index keys, nothing to backfill.
    await indexedService.ensureIndex('tickets', { fields: INDEX_FIELDS });
    print(`dynamodb: loading ${settings.documents.toLocaleString('en-US')} documents`);
    for (const items of findDocuments(settings.documents, settings.seed)) {
      const results = await indexedService.saveMany('tickets', items);
      const failed = results.find((result) => 'error' in result);
      if (failed) throw (failed as { error: Error }).error;
    }
    const loadSeconds = (performance.now() - started) / 1000;

    const reader =
      (service: DynamoDbDatabaseService): PageReader =>
      async (cursor) =>
        (await service.find('tickets', { ...findQuery(settings.pageSize), cursor })).nextCursor;
    const hand = await handWrittenQuery(raw, `${run}tickets`, settings.pageSize);
    const readers: Record<string, PageReader> = {
      unindexed: reader(scanningService),
      indexed: reader(indexedService),
      [HAND]: hand,
    };
    // Unmeasured first walks: connections open, code warm.
    await timedWalk(readers.indexed as PageReader, settings.pages);
    await timedWalk(readers[HAND] as PageReader, settings.pages);
    print('dynamodb: measuring');
    const times: Record<string, number[][]> = { unindexed: [], indexed: [], [HAND]: [] };
    times.unindexed?.push(await timedWalk(readers.unindexed as PageReader, UNINDEXED_PAGES));
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? ['indexed', HAND] : [HAND, 'indexed'];
      for (const name of order) {
        times[name]?.push(await timedWalk(readers[name] as PageReader, settings.pages));
      }
    }

    const costs: Record<string, CapacityCounts | undefined> = {};
    if (proxy) {
      const viaProxy = { indexed: make(proxy.url), unindexed: make(proxy.url) };
      try {
        await viaProxy.indexed.ensureIndex('tickets', { fields: INDEX_FIELDS });
        const rawViaProxy = DynamoDBDocumentClient.from(
          new DynamoDBClient({ ...config, endpoint: proxy.url }),
        );
        const examined: Record<string, [PageReader, number]> = {
          unindexed: [reader(viaProxy.unindexed), UNINDEXED_PAGES],
          indexed: [reader(viaProxy.indexed), settings.pages],
          [HAND]: [
            await handWrittenQuery(rawViaProxy, `${run}tickets`, settings.pageSize),
            settings.pages,
          ],
        };
        for (const [name, [read, pages]] of Object.entries(examined)) {
          proxy.reset();
          const walked = (await timedWalk(read, pages)).length;
          const { requests, scanned, capacity } = proxy.counts();
          costs[name] = {
            requests: requests / walked,
            scanned: scanned / walked,
            capacity: capacity / walked,
          };
        }
        rawViaProxy.destroy();
      } finally {
        await viaProxy.indexed.close();
        await viaProxy.unindexed.close();
      }
    }

    const walks: FindWalk[] = Object.keys(readers).map((name) => ({
      name,
      pages: times[name]?.[0]?.length ?? 0,
      ...perPage(times[name] ?? []),
      ...(costs[name] && { examinedPerPage: costs[name].scanned }),
    }));
    const [unindexed, indexed] = walks as [FindWalk, FindWalk];
    const advantage =
      costs.unindexed && costs.indexed
        ? costs.unindexed.capacity / costs.indexed.capacity
        : Number.NaN;
    const result: FindProviderResult = {
      provider: 'dynamodb',
      backend: describeServer(server),
      examinedBy: proxy
        ? 'ScannedCount of the Query and Scan replies of an untimed walk of each, through a proxy that asks for ReturnConsumedCapacity'
        : 'not measured: the capacity proxy rewrites requests, which only DynamoDB Local accepts',
      walks,
      speedup: unindexed.msPerPage / indexed.msPerPage,
      handRatio: pairedRatio(times[HAND] ?? [], times.indexed ?? []),
      handName: HAND,
      notes: [
        `load: ${settings.documents.toLocaleString('en-US')} items with the index in ${loadSeconds.toFixed(1)} s`,
        ...Object.entries(costs).map(
          ([name, cost]) =>
            `${name}: ${cost?.capacity.toFixed(1)} read capacity units, ${cost?.requests.toFixed(1)} requests, ${cost?.scanned.toFixed(0)} items read per page`,
        ),
        `unindexed pages timed: ${UNINDEXED_PAGES} (each scans the whole table)`,
        `capacity advantage of the index: ${advantage.toFixed(1)}x (target ${MIN_CAPACITY_ADVANTAGE}x)`,
      ],
    };
    return {
      result,
      checks: [
        check('dynamodb: indexed capacity advantage', advantage, MIN_CAPACITY_ADVANTAGE),
        check(
          'dynamodb: adapter / hand-written Query',
          result.handRatio ?? 0,
          settings.minHandRatio,
        ),
      ],
    };
  } finally {
    await indexedService.close();
    await scanningService.close();
    raw.destroy();
    try {
      await dropTables(config, run);
    } finally {
      await proxy?.close();
      await server.close();
    }
  }
};

/**
 * The query as one would write it by hand on the adapter's GSI (the only index of the
 * table): partition key the status's key as the adapter's README describes it (type
 * prefix `4`, the string, end mark U+0001 U+0001), newest first, `Limit` a page, the
 * cursor `LastEvaluatedKey`. Items come back as plain objects, as the adapter's do.
 */
async function handWrittenQuery(
  client: DynamoDBDocumentClient,
  table: string,
  pageSize: number,
): Promise<PageReader> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  const gsi = Table?.GlobalSecondaryIndexes?.[0];
  const partition = gsi?.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
  if (!gsi?.IndexName || !partition) throw new Error(`Table ${table} has no index to query`);
  const keys = new Map<string, Record<string, unknown>>();
  let next = 0;
  return async (cursor) => {
    const reply = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: gsi.IndexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': partition },
        ExpressionAttributeValues: { ':p': `4${QUERIED_STATUS}\u0001\u0001` },
        ScanIndexForward: false,
        Limit: pageSize,
        ExclusiveStartKey: cursor === null ? undefined : keys.get(cursor),
      }),
    );
    if (reply.LastEvaluatedKey === undefined) return null;
    const token = String(next++);
    keys.set(token, reply.LastEvaluatedKey);
    return token;
  };
}

/** As `findCheck` of find-providers.ts, which imports this file. */
function check(name: string, value: number, min: number): FindCheck {
  return { name, value, min, passed: value >= min };
}

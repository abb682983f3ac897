// The index declarations and the mapping of Firestore's refusal, without a backend.
import { IndexRequiredError } from '@gofannon/db-core';
import { describe, expect, it } from 'vitest';
import {
  compositeIndexesFor,
  FirestoreDatabaseService,
  firestoreIndexesFile,
  gcloudIndexCommands,
} from '../src';
import { indexRequiredError } from '../src/indexes/index-required';
import { queryIndex } from '../src/indexes/query-index';

describe('composite indexes', () => {
  it('declares the fields ascending, and again with the last one descending', () => {
    expect(compositeIndexesFor('tickets', ['status', 'created_at'])).toEqual([
      {
        collectionGroup: 'tickets',
        queryScope: 'COLLECTION',
        fields: [
          { fieldPath: 'status', order: 'ASCENDING' },
          { fieldPath: 'created_at', order: 'ASCENDING' },
        ],
      },
      {
        collectionGroup: 'tickets',
        queryScope: 'COLLECTION',
        fields: [
          { fieldPath: 'status', order: 'ASCENDING' },
          { fieldPath: 'created_at', order: 'DESCENDING' },
        ],
      },
    ]);
  });

  it('needs none for one field or _id, and writes stored paths with odd segments quoted', () => {
    expect(compositeIndexesFor('t', ['v'])).toEqual([]);
    expect(compositeIndexesFor('t', ['v', '_id'])).toEqual([]);
    const [index] = compositeIndexesFor('t', ['request.user-id', '__x__.a`b', '']);
    expect(index?.fields.map((f) => f.fieldPath)).toEqual([
      'request.`user-id`',
      '`~__x__`.`a\\`b`',
      '`~`',
    ]);
  });

  it('writes firestore.indexes.json content and gcloud commands, each index once', () => {
    const indexes = [
      ...compositeIndexesFor('app_tickets', ['status', 'created_at']),
      ...compositeIndexesFor('app_tickets', ['status', 'created_at']),
    ];
    const file = firestoreIndexesFile(indexes);
    expect(file.indexes).toHaveLength(2);
    expect(file.fieldOverrides).toEqual([]);
    expect(gcloudIndexCommands(indexes, { project: 'my-project', database: 'db-1' })).toEqual([
      'gcloud firestore indexes composite create --collection-group=app_tickets --query-scope=COLLECTION --field-config=field-path=status,order=ascending --field-config=field-path=created_at,order=ascending --database=db-1 --project=my-project',
      'gcloud firestore indexes composite create --collection-group=app_tickets --query-scope=COLLECTION --field-config=field-path=status,order=ascending --field-config=field-path=created_at,order=descending --database=db-1 --project=my-project',
    ]);
    // A path in backticks is quoted for the shell.
    const [quoted] = gcloudIndexCommands(compositeIndexesFor('t', ['a b', 'c']));
    expect(quoted).toContain("'--field-config=field-path=`a b`,order=ascending'");
  });

  it('lists what ensureIndex recorded, under the collection prefix', async () => {
    const db = new FirestoreDatabaseService({
      firestore: { projectId: 'never-called' },
      collectionPrefix: 'app_',
    });
    try {
      await db.ensureIndex('tickets', { fields: ['status', 'created_at'] });
      await db.ensureIndex('tickets', { fields: ['status', 'created_at'] });
      await db.ensureIndex('users', { fields: ['email'] });
      expect(db.requiredIndexes().map((i) => [i.collectionGroup, i.fields])).toEqual(
        compositeIndexesFor('app_tickets', ['status', 'created_at']).map((i) => [
          i.collectionGroup,
          i.fields,
        ]),
      );
    } finally {
      await db.close();
    }
  });
});

describe("Firestore's refusal of a query without its index", () => {
  const request = {
    where: [{ field: 'status', op: '==' as const, value: 'open' }],
    order: { field: 'created_at', direction: 'desc' as const },
    after: null,
    limit: 20,
  };
  const needed = queryIndex('app_tickets', request);

  it('names the equality fields, then the order field in its direction', () => {
    expect(needed.fields).toEqual([
      { fieldPath: 'status', order: 'ASCENDING' },
      { fieldPath: 'created_at', order: 'DESCENDING' },
    ]);
  });

  it('maps FAILED_PRECONDITION to 400 index_required naming the index and its command', () => {
    const refusal = Object.assign(
      new Error(
        '9 FAILED_PRECONDITION: The query requires an index. You can create it here: https://console.firebase.google.com/...',
      ),
      { code: 9 },
    );
    const error = indexRequiredError(refusal, 'tickets', needed);
    expect(error).toBeInstanceOf(IndexRequiredError);
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('index_required');
    expect(error?.collection).toBe('tickets');
    expect(error?.cause).toBe(refusal);
    expect(error?.message).toContain('app_tickets (status ascending, created_at descending)');
    expect(error?.message).toContain(
      'gcloud firestore indexes composite create --collection-group=app_tickets --query-scope=COLLECTION --field-config=field-path=status,order=ascending --field-config=field-path=created_at,order=descending',
    );
  });

  it('leaves every other error alone', () => {
    for (const other of [{ code: 3 }, { code: 14 }, new Error('no code'), null]) {
      expect(indexRequiredError(other, 'tickets', needed)).toBeUndefined();
    }
  });
});

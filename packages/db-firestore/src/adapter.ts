import { existsSync } from 'node:fs';
import type { AdapterDefinition } from '@gofannon/db-core';
import { SettingsReader } from '@gofannon/db-core/adapter';
import type { Settings } from '@google-cloud/firestore';
import { FirestoreDatabaseService } from './firestore-service';

/** Firestore's rule for a named database's id; `(default)` is the default database. */
const DATABASE_ID = /^(\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$/;
const HOST = /^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\[[0-9A-Fa-f:.]+\]:[0-9]{1,5}$/;

/** Lets `DATABASE_PROVIDER=firestore` find this adapter, with its settings. */
export const adapter: AdapterDefinition = {
  provider: 'firestore',
  settings: [
    {
      name: 'FIRESTORE_PROJECT_ID',
      required: false,
      description:
        'the Google Cloud project; needed with the emulator, else taken from the credentials when unset',
    },
    {
      name: 'GOOGLE_APPLICATION_CREDENTIALS',
      required: false,
      description:
        'path of a service-account key file; without it, application default credentials are used',
    },
    {
      name: 'FIRESTORE_EMULATOR_HOST',
      required: false,
      description:
        'host:port of a Firestore emulator, such as 127.0.0.1:8080 (no credentials then)',
    },
    {
      name: 'FIRESTORE_DATABASE_ID',
      required: false,
      description: 'a named Firestore database; (default) when unset',
    },
    {
      name: 'FIRESTORE_COLLECTION_PREFIX',
      required: false,
      description: 'put before every collection name',
    },
  ],
  create(context) {
    const { timeoutMs } = context;
    const read = SettingsReader.of('firestore', context);
    const firestore: Settings = {};
    const projectId = read.optional('FIRESTORE_PROJECT_ID');
    if (projectId !== undefined) firestore.projectId = projectId;
    firestore.databaseId =
      read.matching(
        'FIRESTORE_DATABASE_ID',
        DATABASE_ID,
        '(default) or a database id of 4 to 63 lowercase letters, digits and "-"',
      ) ?? '(default)';
    const emulatorHost = read.matching(
      'FIRESTORE_EMULATOR_HOST',
      HOST,
      'host:port, such as 127.0.0.1:8080',
    );
    const keyFilename = read.optional('GOOGLE_APPLICATION_CREDENTIALS');
    if (read.optional('FIRESTORE_EMULATOR_HOST') !== undefined && projectId === undefined) {
      read.problem(
        'FIRESTORE_EMULATOR_HOST needs FIRESTORE_PROJECT_ID (any id, such as demo-gofannon)',
      );
    }
    if (emulatorHost === undefined && keyFilename !== undefined && !existsSync(keyFilename)) {
      read.problem(
        `GOOGLE_APPLICATION_CREDENTIALS names ${JSON.stringify(keyFilename)}, which does not exist: point it at a service-account key file`,
      );
    }
    read.done();
    if (emulatorHost !== undefined) {
      // The emulator takes no credentials; "owner" lets every request pass its rules.
      Object.assign(firestore, {
        host: emulatorHost,
        ssl: false,
        customHeaders: { Authorization: 'Bearer owner' },
      });
    } else if (keyFilename !== undefined) firestore.keyFilename = keyFilename;
    return new FirestoreDatabaseService({
      firestore,
      collectionPrefix: read.optional('FIRESTORE_COLLECTION_PREFIX') ?? '',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};

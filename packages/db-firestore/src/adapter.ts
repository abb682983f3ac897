import { existsSync } from 'node:fs';
import { type AdapterDefinition, ConfigurationError } from '@gofannon/db-core';
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
  create({ settings, timeoutMs }) {
    const firestore: Settings = {};
    const projectId = settings.FIRESTORE_PROJECT_ID;
    if (projectId !== undefined) firestore.projectId = projectId;
    const databaseId = settings.FIRESTORE_DATABASE_ID ?? '(default)';
    if (!DATABASE_ID.test(databaseId)) {
      throw new ConfigurationError(
        `FIRESTORE_DATABASE_ID must be (default) or a database id of 4 to 63 lowercase letters, digits and "-"; got ${JSON.stringify(databaseId)}`,
      );
    }
    firestore.databaseId = databaseId;
    const emulatorHost = settings.FIRESTORE_EMULATOR_HOST;
    if (emulatorHost !== undefined) {
      if (!HOST.test(emulatorHost)) {
        throw new ConfigurationError(
          `FIRESTORE_EMULATOR_HOST must be host:port, such as 127.0.0.1:8080; got ${JSON.stringify(emulatorHost)}`,
        );
      }
      if (projectId === undefined) {
        throw new ConfigurationError(
          'DATABASE_PROVIDER=firestore with FIRESTORE_EMULATOR_HOST needs FIRESTORE_PROJECT_ID (any id, such as demo-gofannon)',
        );
      }
      // The emulator takes no credentials; "owner" lets every request pass its rules.
      Object.assign(firestore, {
        host: emulatorHost,
        ssl: false,
        customHeaders: { Authorization: 'Bearer owner' },
      });
    } else if (settings.GOOGLE_APPLICATION_CREDENTIALS !== undefined) {
      const keyFilename = settings.GOOGLE_APPLICATION_CREDENTIALS;
      if (!existsSync(keyFilename)) {
        throw new ConfigurationError(
          `GOOGLE_APPLICATION_CREDENTIALS names ${JSON.stringify(keyFilename)}, which does not exist: point it at a service-account key file`,
        );
      }
      firestore.keyFilename = keyFilename;
    }
    return new FirestoreDatabaseService({
      firestore,
      collectionPrefix: settings.FIRESTORE_COLLECTION_PREFIX ?? '',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};

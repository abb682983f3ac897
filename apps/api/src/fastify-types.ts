import type { DatabaseService } from '@gofannon/db-core';
import type { DocumentUpdater } from './http/document-updater';
import type { ExpiredPurger } from './http/expired-purger';

declare module 'fastify' {
  interface FastifyInstance {
    /** The one database service of this process. */
    db: DatabaseService;
    /** The provider name it was made from, such as `memory`. */
    provider: string;
    /** Race-free read-modify-write of one document (usage, messages, ticket status). */
    updater: DocumentUpdater;
    /** Purges expired documents, every `API_PURGE_INTERVAL_MS` or when asked. */
    purger: ExpiredPurger;
    /**
     * Settles when the indexes of the API's query patterns are made, or when the app closes
     * first; never rejects (see `plugins/query-indexes.ts`).
     */
    queryIndexes: Promise<void>;
  }
}

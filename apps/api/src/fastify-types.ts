import type { DatabaseService } from '@gofannon/db-core';
import type { DocumentUpdater } from './http/document-updater';

declare module 'fastify' {
  interface FastifyInstance {
    /** The one database service of this process. */
    db: DatabaseService;
    /** The provider name it was made from, such as `memory`. */
    provider: string;
    /** Race-free read-modify-write of one document (usage, messages, ticket status). */
    updater: DocumentUpdater;
  }
}

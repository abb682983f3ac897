import {
  AbstractDatabaseService,
  type BackendPage,
  type BatchSizes,
  type DatabaseError,
  type DeleteOutcome,
  defineCapabilities,
  type ErrorTarget,
  type PreparedDocument,
  type PreparedWrite,
  type ServiceOptions,
  type StoredDocument,
} from '../../src';

/** The backend calls of a {@link ScriptedService}; unset ones fail the test loudly. */
export interface Script {
  get?: (collection: string, id: string) => Promise<StoredDocument | null>;
  save?: (
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ) => Promise<string | null>;
  delete?: (collection: string, id: string, ifRev: string | undefined) => Promise<DeleteOutcome>;
  listPage?: (collection: string, limit: number, after: string | null) => Promise<BackendPage>;
  listAll?: (
    collection: string,
    bounded: <T>(work: () => Promise<T>) => Promise<T>,
  ) => Promise<StoredDocument[]>;
  saveMany?: (
    collection: string,
    writes: readonly PreparedWrite[],
  ) => Promise<Array<string | null | DatabaseError>>;
  ping?: () => Promise<void>;
  close?: () => Promise<void>;
  translate?: (error: unknown, target: ErrorTarget) => DatabaseError | undefined;
}

function unscripted(name: string): never {
  throw new Error(`the test did not script ${name}`);
}

/**
 * An adapter whose backend calls are functions given by the test: for unit tests of the
 * base class's own logic (validation, deadlines, error mapping, chunking), not of storage.
 */
export class ScriptedService extends AbstractDatabaseService {
  readonly provider = 'scripted';
  readonly capabilities = defineCapabilities({
    maxDocumentBytes: 1024,
    maxNestingDepth: 5,
    atomicBatches: false,
  });
  protected override readonly batchSizes: BatchSizes;

  constructor(
    private readonly script: Script,
    options: ServiceOptions & { batchSizes?: BatchSizes } = {},
  ) {
    super(options);
    this.batchSizes = options.batchSizes ?? { get: 1000, save: 1000, delete: 1000 };
  }

  protected _get(collection: string, id: string) {
    return this.script.get ? this.script.get(collection, id) : unscripted('get');
  }
  protected _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ) {
    return this.script.save ? this.script.save(collection, id, doc, ifRev) : unscripted('save');
  }
  protected _delete(collection: string, id: string, ifRev: string | undefined) {
    return this.script.delete ? this.script.delete(collection, id, ifRev) : unscripted('delete');
  }
  protected _listPage(collection: string, limit: number, after: string | null) {
    return this.script.listPage
      ? this.script.listPage(collection, limit, after)
      : unscripted('listPage');
  }
  protected override _listAll(
    collection: string,
    bounded: <T>(work: () => Promise<T>) => Promise<T>,
  ) {
    return this.script.listAll
      ? this.script.listAll(collection, bounded)
      : super._listAll(collection, bounded);
  }
  protected override _saveMany(collection: string, writes: readonly PreparedWrite[]) {
    return this.script.saveMany
      ? this.script.saveMany(collection, writes)
      : super._saveMany(collection, writes);
  }
  protected _ping() {
    return this.script.ping ? this.script.ping() : unscripted('ping');
  }
  protected override _close() {
    return this.script.close ? this.script.close() : Promise.resolve();
  }
  protected override _translateError(error: unknown, target: ErrorTarget) {
    return this.script.translate?.(error, target);
  }
}

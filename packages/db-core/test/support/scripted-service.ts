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
  get?: (collection: string, id: string, signal: AbortSignal) => Promise<StoredDocument | null>;
  save?: (
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    signal: AbortSignal,
  ) => Promise<string | null>;
  delete?: (
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal: AbortSignal,
  ) => Promise<DeleteOutcome>;
  listPage?: (
    collection: string,
    limit: number,
    after: string | null,
    signal: AbortSignal,
  ) => Promise<BackendPage>;
  listAll?: (
    collection: string,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ) => Promise<StoredDocument[]>;
  getMany?: (
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ) => Promise<Array<StoredDocument | null>>;
  saveMany?: (
    collection: string,
    writes: readonly PreparedWrite[],
    signal: AbortSignal,
  ) => Promise<Array<unknown>>;
  deleteMany?: (
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ) => Promise<unknown[]>;
  ping?: (signal: AbortSignal) => Promise<void>;
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

  protected _get(collection: string, id: string, signal: AbortSignal) {
    return this.script.get ? this.script.get(collection, id, signal) : unscripted('get');
  }
  protected _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    signal: AbortSignal,
  ) {
    return this.script.save
      ? this.script.save(collection, id, doc, ifRev, signal)
      : unscripted('save');
  }
  protected _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal: AbortSignal,
  ) {
    return this.script.delete
      ? this.script.delete(collection, id, ifRev, signal)
      : unscripted('delete');
  }
  protected _listPage(
    collection: string,
    limit: number,
    after: string | null,
    signal: AbortSignal,
  ) {
    return this.script.listPage
      ? this.script.listPage(collection, limit, after, signal)
      : unscripted('listPage');
  }
  protected override _listAll(
    collection: string,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ) {
    return this.script.listAll
      ? this.script.listAll(collection, bounded)
      : super._listAll(collection, bounded);
  }
  protected override _getMany(collection: string, ids: readonly string[], signal: AbortSignal) {
    return this.script.getMany
      ? this.script.getMany(collection, ids, signal)
      : super._getMany(collection, ids, signal);
  }
  protected override _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
    signal: AbortSignal,
  ) {
    return this.script.saveMany
      ? (this.script.saveMany(collection, writes, signal) as Promise<
          Array<string | null | DatabaseError>
        >)
      : super._saveMany(collection, writes, signal);
  }
  protected override _deleteMany(collection: string, ids: readonly string[], signal: AbortSignal) {
    return this.script.deleteMany
      ? (this.script.deleteMany(collection, ids, signal) as Promise<
          Array<DeleteOutcome | DatabaseError>
        >)
      : super._deleteMany(collection, ids, signal);
  }
  protected _ping(signal: AbortSignal) {
    return this.script.ping ? this.script.ping(signal) : unscripted('ping');
  }
  protected override _close() {
    return this.script.close ? this.script.close() : Promise.resolve();
  }
  protected override _translateError(error: unknown, target: ErrorTarget) {
    return this.script.translate?.(error, target);
  }
}

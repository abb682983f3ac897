import firestorePackage, {
  type DocumentReference,
  type Settings,
  Timestamp,
} from '@google-cloud/firestore';
import { credentials } from '@grpc/grpc-js';
import { EXPIRES_MS_FIELD } from './expiry';
import { GrpcCode, grpcCode } from './firestore-errors';
import { toProtoFields, toProtoTimestamp } from './proto-values';

type FirestoreClient = InstanceType<typeof firestorePackage.v1.FirestoreClient>;
type CommitRequest = NonNullable<Parameters<FirestoreClient['commit']>[0]>;
/** A whole document to write, over the one last updated at `lastUpdateTime` when given. */
export interface WholeWrite {
  ref: DocumentReference;
  fields: Record<string, unknown>;
  lastUpdateTime?: Timestamp;
}

/** What the adapter reads of a commit's answer. */
interface CommitResponse {
  writeResults?: Array<{ updateTime?: ProtoTime | null; transformResults?: Value[] | null }> | null;
  commitTime?: ProtoTime | null;
}
/** A protobuf Timestamp; `seconds` is an int64, a string or a Long depending on the transport. */
interface ProtoTime {
  seconds?: number | string | { toString(): string } | null;
  nanos?: number | null;
}
type Value = NonNullable<
  NonNullable<NonNullable<CommitRequest['writes']>[number]['updateTransforms']>[number]['maximum']
>;

/** Lower than any expiry a document can store (Timestamp's range): "no expiry field". */
const NO_EXPIRY = Number.MIN_SAFE_INTEGER;

/**
 * What a delete found: `'missing'` when there was no document, else the expiry it had in
 * epoch milliseconds, `undefined` when it had none. Either way it is gone now.
 */
export type DeleteFound = 'missing' | { expiresAt: number | undefined };

/**
 * The adapter's commits through Firestore's low-level (GAPIC) client, which the package
 * exports as `v1`: a blind write of whole documents and a delete without a read.
 *
 * Writes: the high-level client's `set` and `WriteBatch.commit()` spend about twice the CPU
 * of the commit itself on its way (validating and serializing the fields again, reference
 * and batch objects, a stack trace per request), a millisecond a save here, against which
 * the adapter stayed at 0.85 of the raw client's speed. The fields are encoded once, by
 * `toProtoFields`, into the same messages the high-level client would send.
 *
 * The delete: no precondition can test a field, and the high-level `WriteBatch.commit()`
 * does not give transform results; the low-level commit does. So one atomic commit carries
 * two writes on the document:
 *
 * 1. an update that changes no field (empty mask), with precondition `exists: true`, and a
 *    `maximum` transform on the numeric copy of the expiry ({@link EXPIRES_MS_FIELD}) with
 *    an operand below any expiry: its result is the stored expiry, or the operand when the
 *    document has no such field;
 * 2. the delete.
 *
 * A missing document fails the precondition and the commit deletes nothing. An expired one
 * is deleted all the same: it did not exist for any call anyway.
 *
 * The client is made from the very settings the high-level client gets (`clientSettings`),
 * so its requests obey the call's signal (`grpc.callInvocationTransformer`) and the service's
 * time limit; the emulator (`FIRESTORE_EMULATOR_HOST`, or `host` with `ssl: false`) is set up
 * as the high-level `Firestore` class sets it up: plaintext, `Authorization: Bearer owner`;
 * and `preferRest` (or `FIRESTORE_PREFER_REST`) picks REST for it too.
 */
export class LowLevelCommits {
  readonly #client: FirestoreClient;
  readonly #headers: Record<string, string>;
  readonly #projectId: string | undefined;
  readonly #databaseId: string;
  #database: Promise<string> | undefined;

  /** `settings`: the high-level client's, read at once (the emulator variable too). */
  constructor(settings: Settings, databaseId: string) {
    const options: Record<string, unknown> = { ...settings };
    let host: string | undefined;
    if (process.env.FIRESTORE_EMULATOR_HOST) {
      host = process.env.FIRESTORE_EMULATOR_HOST;
      options.ssl = false;
    } else if (settings.host !== undefined) {
      host = settings.host;
    }
    if (host !== undefined) {
      const url = new URL(`http://${host}`);
      options.servicePath = url.hostname;
      if (url.port !== '' && options.port === undefined) options.port = Number(url.port);
      delete options.host;
      delete options.apiEndpoint;
    }
    const customHeaders = (settings.customHeaders ?? {}) as Record<string, string>;
    if (options.ssl === false) {
      options.sslCreds = credentials.createInsecure();
      this.#headers = { Authorization: 'Bearer owner', ...customHeaders };
    } else {
      this.#headers = { ...customHeaders };
    }
    this.#client = new firestorePackage.v1.FirestoreClient({
      ...options,
      fallback: (settings.preferRest ?? preferRestVariable()) ? 'rest' : false,
    });
    this.#projectId = settings.projectId;
    this.#databaseId = databaseId;
  }

  /** Deletes the document if it exists; what was there (see {@link DeleteFound}). */
  async delete(ref: DocumentReference): Promise<DeleteFound> {
    const database = await this.#databaseName();
    const name = `${database}/documents/${ref.path}`;
    const request: CommitRequest = {
      database,
      writes: [
        {
          update: { name, fields: {} },
          updateMask: { fieldPaths: [] },
          currentDocument: { exists: true },
          updateTransforms: [
            { fieldPath: EXPIRES_MS_FIELD, maximum: { integerValue: String(NO_EXPIRY) } },
          ],
        },
        { delete: name },
      ],
    };
    let response: CommitResponse;
    try {
      response = await this.#commit(database, request);
    } catch (error) {
      const code = grpcCode(error);
      if (code === GrpcCode.NOT_FOUND || code === GrpcCode.FAILED_PRECONDITION) return 'missing';
      throw error;
    }
    const stored = numberOf(response.writeResults?.[0]?.transformResults?.[0]);
    if (stored === undefined) {
      throw new Error(`Firestore's commit gave no transform result for ${ref.path}`);
    }
    return { expiresAt: stored === NO_EXPIRY ? undefined : stored };
  }

  /**
   * Writes each document whole, as `set` does, in one atomic commit (at most 500 writes);
   * answers each write's update time, in order. A write with `lastUpdateTime` is made only
   * over the document last updated then: the commit fails (FAILED_PRECONDITION) otherwise.
   */
  async setAll(writes: readonly WholeWrite[]): Promise<Timestamp[]> {
    const database = await this.#databaseName();
    const response = await this.#commit(database, {
      database,
      writes: writes.map(({ ref, fields, lastUpdateTime }) => ({
        update: { name: `${database}/documents/${ref.path}`, fields: toProtoFields(fields) },
        ...(lastUpdateTime === undefined
          ? {}
          : { currentDocument: { updateTime: toProtoTimestamp(lastUpdateTime) } }),
      })),
    });
    return writes.map((_, i) => {
      // As the high-level client's `writeTime`: a write that changed nothing has no update
      // time of its own (the adapter's writes always change the write tag).
      const time = response.writeResults?.[i]?.updateTime ?? response.commitTime;
      if (!time) throw new Error("Firestore's commit gave no update time");
      return new Timestamp(Number(String(time.seconds ?? 0)), time.nanos ?? 0);
    });
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  async #commit(database: string, request: CommitRequest): Promise<CommitResponse> {
    const [response] = await this.#client.commit(request, {
      otherArgs: { headers: { 'google-cloud-resource-prefix': database, ...this.#headers } },
    });
    return response;
  }

  /** `projects/<project>/databases/<database>`; the project as the client finds it when unset. */
  #databaseName(): Promise<string> {
    this.#database ??= (async () => {
      const projectId = this.#projectId ?? (await this.#client.getProjectId());
      return `projects/${projectId}/databases/${this.#databaseId}`;
    })();
    // A failed lookup (no credentials yet) is tried again by the next call.
    this.#database.catch(() => {
      this.#database = undefined;
    });
    return this.#database;
  }
}

/** `FIRESTORE_PREFER_REST` as the high-level client reads it when `preferRest` is unset. */
function preferRestVariable(): boolean | undefined {
  const value = process.env.FIRESTORE_PREFER_REST?.trim().toLowerCase();
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

function numberOf(value: Value | undefined): number | undefined {
  if (value?.integerValue !== undefined && value.integerValue !== null) {
    return Number(String(value.integerValue));
  }
  return typeof value?.doubleValue === 'number' ? value.doubleValue : undefined;
}

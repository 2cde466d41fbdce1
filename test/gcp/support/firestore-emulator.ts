import { createRequire } from 'node:module';
import { FirestoreServer, FirestoreStateDocument, TimestampFromDate } from '@firestore-emulator/server';
import { Firestore } from '@google-cloud/firestore';

/*
 * The fallback where Google's Firestore emulator cannot run (no gcloud component, no Java: see
 * test-firestore.ts). Google's emulator does everything listed below as missing, and every contract
 * case passes on it (firestore-google.contract.test.ts).
 *
 * @firestore-emulator/server in-process, on 127.0.0.1 and a free port. It speaks Firestore's real gRPC
 * protocol, but (v0.3.15) it leaves out parts of Firestore that the state store relies on. Two gaps are
 * filled here, each the way Firestore documents the behaviour, so the adapter's use of them is exercised:
 *
 *  1. Commit ignores `current_document.update_time` (the `lastUpdateTime` precondition) and applies a
 *     commit's writes one by one even when a later one fails. The replacement Commit checks every
 *     write's precondition first (FAILED_PRECONDITION / NOT_FOUND / ALREADY_EXISTS, as Firestore) and
 *     only then applies them.
 *  2. Commit stamps writes with `new Date()` (milliseconds), so two commits in one millisecond would
 *     give a document the same update time; commit times here strictly increase.
 *  3. Field paths with a dot (`data.status`) throw "Not implemented" in queries; they are resolved here
 *     through map fields.
 *
 * Still NOT done by this emulator (and not filled in): isolation of transactions (no locks, no
 * conflict detection), query cursors (startAt/startAfter are ignored), ordering by `__name__`,
 * comparing integers with doubles (2 < 2.5 is false there), deleting fields named in an update mask,
 * `set` replacing a document (it merges), projections, BatchWrite, ListCollectionIds, GetDocument.
 */
const emulatorRequire = createRequire(createRequire(import.meta.url).resolve('@firestore-emulator/server'));
const grpc = emulatorRequire('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
const { CommitResponse } = emulatorRequire(
  '@firestore-emulator/proto/dist/google/firestore/v1/firestore',
) as {
  CommitResponse: { fromObject(o: unknown): unknown };
};

const COMMIT = '/google.firestore.v1.Firestore/Commit';

interface ProtoTimestamp {
  seconds: number;
  nanos: number;
}
interface ProtoWrite {
  has_delete: boolean;
  delete: string;
  has_update: boolean;
  update: { name: string };
  has_current_document: boolean;
  current_document: {
    has_exists: boolean;
    exists: boolean;
    has_update_time: boolean;
    update_time: ProtoTimestamp;
  };
}
interface EmulatorDoc {
  metadata: { hasExist: boolean; updatedAt: Date | null };
}
interface EmulatorState {
  getDocument(path: string): EmulatorDoc;
  writeV1Document(date: Date, write: ProtoWrite): { toObject(): unknown };
}
type UnaryCallback = (err: { code: number; details: string } | null, value?: unknown) => void;

export interface FirestoreEmulator {
  port: number;
  /** A client pointed at the emulator, as FIRESTORE_EMULATOR_HOST would configure it. */
  client(projectId?: string): Firestore;
  stop(): Promise<void>;
}

let fieldPathsPatched = false;

export async function startFirestoreEmulator(): Promise<FirestoreEmulator> {
  patchDottedFieldPaths();
  const emulator = new FirestoreServer();
  const server = (emulator as unknown as { server: import('@grpc/grpc-js').Server }).server;
  replaceCommit(server, emulator.state as unknown as EmulatorState);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  const clients: Firestore[] = [];
  return {
    port,
    client: (projectId = 'demo-bridge') => {
      const db = new Firestore({
        projectId,
        host: '127.0.0.1',
        port,
        ssl: false,
        customHeaders: { Authorization: 'Bearer owner' },
        // Without a universe domain the client asks the GCE metadata server for one (network).
        universeDomain: 'googleapis.com',
      } as ConstructorParameters<typeof Firestore>[0]);
      clients.push(db);
      return db;
    },
    stop: async () => {
      await Promise.allSettled(clients.map((c) => c.terminate()));
      server.forceShutdown();
    },
  };
}

function replaceCommit(server: import('@grpc/grpc-js').Server, state: EmulatorState): void {
  const handlers = (server as unknown as { handlers: Map<string, { func: unknown }> }).handlers;
  const handler = handlers.get(COMMIT);
  if (!handler) throw new Error('emulator has no Commit handler to replace');
  let last = 0;
  handler.func = (call: { request: { writes: ProtoWrite[] } }, callback: UnaryCallback) => {
    last = Math.max(Date.now(), last + 1);
    const date = new Date(last);
    const writes = call.request.writes;
    for (const write of writes) {
      const problem = preconditionProblem(state, write);
      if (problem) {
        callback(problem);
        return;
      }
    }
    try {
      const results = writes.map((w) => state.writeV1Document(date, w).toObject());
      callback(
        null,
        CommitResponse.fromObject({ commit_time: TimestampFromDate(date), write_results: results }),
      );
    } catch (err) {
      const code = (err as { code?: number }).code ?? grpc.status.INTERNAL;
      callback({ code, details: (err as Error).message });
    }
  };
}

function preconditionProblem(
  state: EmulatorState,
  write: ProtoWrite,
): { code: number; details: string } | undefined {
  if (!write.has_current_document) return undefined;
  const path = write.has_delete ? write.delete : write.update.name;
  const doc = state.getDocument(path);
  const pre = write.current_document;
  if (pre.has_exists) {
    if (pre.exists && !doc.metadata.hasExist)
      return { code: grpc.status.NOT_FOUND, details: `no entity: ${path}` };
    if (!pre.exists && doc.metadata.hasExist)
      return { code: grpc.status.ALREADY_EXISTS, details: `exists: ${path}` };
  }
  if (pre.has_update_time) {
    const want = pre.update_time.seconds * 1000 + Math.floor(pre.update_time.nanos / 1e6);
    const have = doc.metadata.hasExist ? doc.metadata.updatedAt?.getTime() : undefined;
    if (have !== want || pre.update_time.nanos % 1e6 !== 0) {
      return { code: grpc.status.FAILED_PRECONDITION, details: `stored version does not match: ${path}` };
    }
  }
  return undefined;
}

function patchDottedFieldPaths(): void {
  if (fieldPathsPatched) return;
  fieldPathsPatched = true;
  const proto = FirestoreStateDocument.prototype as unknown as { getField(path: string): unknown };
  const original = proto.getField;
  proto.getField = function getField(this: unknown, path: string) {
    if (!path.includes('.')) return original.call(this, path);
    const [first, ...rest] = splitFieldPath(path);
    let field = original.call(this, first ?? '') as { type?: string; value?: unknown } | undefined;
    for (const segment of rest) {
      if (field?.type !== 'map_value') return undefined;
      field = (field.value as Record<string, typeof field>)[segment];
    }
    return field;
  };
}

/** `a.b`, `` a.`b-c` `` → segments, as Firestore quotes field path segments with backticks. */
function splitFieldPath(path: string): string[] {
  const segments: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '`') quoted = !quoted;
    else if (ch === '\\' && quoted) current += path[++i] ?? '';
    else if (ch === '.' && !quoted) {
      segments.push(current);
      current = '';
    } else current += ch;
  }
  segments.push(current);
  return segments;
}

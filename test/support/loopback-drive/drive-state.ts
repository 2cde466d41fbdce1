import { createHash } from 'node:crypto';

export interface LoopbackFile {
  id: string;
  name: string;
  mimeType: string;
  content: string;
  /** The stored bytes when they are not `content` in UTF-8 (Drive keeps bytes, not text). */
  bytes?: Buffer;
  /** Drive's monotonically increasing file version (bumped by every change). */
  version: number;
  /** v2 etag, quotes included, as Drive sends it (changes with every version). */
  etag: string;
  md5: string;
  createdTime: string;
  modifiedTime: string;
  headRevisionId: string;
  trashed: boolean;
  /** Ids of the folders holding the file (v3 `parents`); no folder objects are kept. */
  parents: string[];
}

export interface ChangeRecord {
  /** Position in the feed; page tokens are change positions. */
  seq: number;
  fileId: string;
  time: string;
  removed: boolean;
}

export interface FileSeed {
  name: string;
  content: string;
  mimeType?: string;
  /** Folder ids; default none (a file shared with the caller whose folder is not). */
  parents?: string[];
}

const md5 = (content: string | Buffer) => createHash('md5').update(content).digest('hex');
const revisionIdOf = (id: string, version: number) =>
  `0B${createHash('sha1').update(`rev:${id}:${version}`).digest('base64url').slice(0, 20)}`;
const etagOf = (id: string, version: number) =>
  `"${createHash('sha256').update(`${id}:${version}`).digest('base64url').slice(0, 27)}"`;

/** The in-memory Drive: files, the changes feed and a clock. */
export class DriveState {
  readonly files = new Map<string, LoopbackFile>();
  readonly changes: ChangeRecord[] = [];
  /** Drive's versions are not 1, 2, 3 per file: one counter across files, like Drive's. */
  private nextVersion = 1001;
  private nextSeq = 100;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  nowMs(): number {
    return this.now();
  }

  /** The token a client gets from changes.getStartPageToken: the next change's position. */
  startPageToken(): string {
    return String(this.nextSeq);
  }

  addFile(id: string, seed: FileSeed): LoopbackFile {
    const time = this.isoNow();
    const version = this.nextVersion++;
    const file: LoopbackFile = {
      id,
      name: seed.name,
      mimeType: seed.mimeType ?? 'application/json',
      content: seed.content,
      version,
      etag: etagOf(id, version),
      md5: md5(seed.content),
      createdTime: time,
      modifiedTime: time,
      headRevisionId: revisionIdOf(id, version),
      trashed: false,
      parents: [...(seed.parents ?? [])],
    };
    this.files.set(id, file);
    this.record(id, false);
    return file;
  }

  /** Applies a change to a file: bumps version/etag/modifiedTime and appends to the changes feed. */
  update(
    id: string,
    patch: {
      content?: string | Buffer;
      name?: string;
      mimeType?: string;
      trashed?: boolean;
      parents?: string[];
    },
  ): LoopbackFile {
    const file = this.files.get(id);
    if (!file) throw new Error(`no file ${id}`);
    if (patch.content !== undefined) {
      const bytes = typeof patch.content === 'string' ? undefined : patch.content;
      file.content = bytes ? bytes.toString('utf8') : (patch.content as string);
      if (bytes) file.bytes = bytes;
      else delete file.bytes;
      file.md5 = md5(patch.content);
    }
    if (patch.name !== undefined) file.name = patch.name;
    if (patch.mimeType !== undefined) file.mimeType = patch.mimeType;
    if (patch.trashed !== undefined) file.trashed = patch.trashed;
    if (patch.parents !== undefined) file.parents = [...patch.parents];
    file.version = this.nextVersion++;
    if (patch.content !== undefined) file.headRevisionId = revisionIdOf(id, file.version);
    file.etag = etagOf(id, file.version);
    file.modifiedTime = this.isoNow();
    this.record(id, false);
    return file;
  }

  remove(id: string): void {
    if (this.files.delete(id)) this.record(id, true);
  }

  private record(fileId: string, removed: boolean) {
    this.changes.push({ seq: this.nextSeq++, fileId, time: this.isoNow(), removed });
  }
}

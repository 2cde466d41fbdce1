import type { ChangeRecord, DriveState, LoopbackFile } from './drive-state.ts';

export function v3File(file: LoopbackFile) {
  return {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    version: String(file.version),
    createdTime: file.createdTime,
    modifiedTime: file.modifiedTime,
    md5Checksum: file.md5,
    headRevisionId: file.headRevisionId,
    size: String(Buffer.byteLength(file.bytes ?? file.content)),
    trashed: file.trashed,
    // Drive lists only the parents the caller can see; a file shared on its own has none.
    ...(file.parents.length > 0 ? { parents: [...file.parents] } : {}),
  };
}

export function v2File(file: LoopbackFile, rootUrl: string) {
  return {
    kind: 'drive#file',
    id: file.id,
    etag: file.etag,
    selfLink: `${rootUrl}/drive/v2/files/${file.id}`,
    title: file.name,
    mimeType: file.mimeType,
    version: String(file.version),
    createdDate: file.createdTime,
    modifiedDate: file.modifiedTime,
    md5Checksum: file.md5,
    headRevisionId: file.headRevisionId,
    fileSize: String(Buffer.byteLength(file.bytes ?? file.content)),
    downloadUrl: `${rootUrl}/drive/v2/files/${file.id}?alt=media`,
    labels: { trashed: file.trashed, starred: false, hidden: false, restricted: false, viewed: true },
  };
}

/** Like Drive, a change carries the file's current state, not its state at the time of the change. */
export function v3Change(change: ChangeRecord, state: DriveState) {
  const file = change.removed ? undefined : state.files.get(change.fileId);
  return {
    kind: 'drive#change',
    changeType: 'file',
    type: 'file',
    fileId: change.fileId,
    removed: change.removed || !file,
    time: change.time,
    ...(file ? { file: v3File(file) } : {}),
  };
}

/** Default partial responses when a request has no `fields` (v3 returns a small default set). */
export const DEFAULT_FIELDS = {
  v3File: 'kind,id,name,mimeType',
  v3ChangeList:
    'kind,nextPageToken,newStartPageToken,changes(kind,changeType,type,time,removed,fileId,file(kind,id,name,mimeType))',
  all: '*',
} as const;

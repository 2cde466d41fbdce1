/** A file of a repository snapshot (same shape as the repo port's RepoFile). */
export interface SourceFile {
  path: string;
  content: string;
  /** Why the file's bytes could not be read as text (then `content` is empty): refused, never guessed. */
  unreadable?: string;
}

/** A change to commit (same shape as the repo port's FileChange); null content deletes the file. */
export interface FileChange {
  path: string;
  content: string | null;
}

/** Why a file was refused: a one-line reason and the field-level issues behind it. */
export interface FileIssue {
  path: string;
  reason: string;
  issues: Array<{ field: string; message: string }>;
}

/** `changes` applied on top of `files` (later changes to a path replace earlier ones). */
export function applyFileChanges(files: readonly SourceFile[], changes: readonly FileChange[]): SourceFile[] {
  const byPath = new Map<string, SourceFile>(files.map((f) => [f.path, f]));
  for (const change of changes) {
    if (change.content === null) byPath.delete(change.path);
    else byPath.set(change.path, { path: change.path, content: change.content });
  }
  return [...byPath.values()];
}

/** One change per path, the last one winning, in first-seen order. */
export function mergeFileChanges(...lists: ReadonlyArray<readonly FileChange[]>): FileChange[] {
  const byPath = new Map<string, FileChange>();
  for (const change of lists.flat()) {
    byPath.delete(change.path);
    byPath.set(change.path, change);
  }
  return [...byPath.values()];
}

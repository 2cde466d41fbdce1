/** Design port: the visualizer's JSON export in Google Drive or a local folder. */
export interface DesignSnapshot {
  /** Opaque revision (Drive: version/etag; local: content hash). */
  revision: string;
  /** Raw JSON text as stored. */
  content: string;
  modifiedTime: string;
}

export interface DesignProvider {
  readonly kind: 'drive' | 'local-file';
  readonly displayName: string;
  read(): Promise<DesignSnapshot>;
  /**
   * Writes only if the file is still at `ifRevision`; otherwise fails with AppError
   * `design_changed` (the caller re-reads and merges again). Returns the new revision.
   */
  write(content: string, ifRevision: string): Promise<string>;
  callCount(): number;
}

/** The scheduler's own collections (besides COLLECTIONS.idempotency for its markers). */
export const SCHEDULER_COLLECTIONS = {
  /**
   * Summaries and positions of scheduler jobs: `recovery-last` (the last failed-delivery recovery),
   * `drive-changes` (the Drive changes feed's saved page token).
   */
  runs: 'scheduler-runs',
  /** One record per handled secret rotation (id = `rot_<message id>`): what was rotated, when. */
  rotations: 'rotations',
} as const;

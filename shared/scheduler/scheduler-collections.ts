/** The scheduler's own collections (besides COLLECTIONS.idempotency for its markers). */
export const SCHEDULER_COLLECTIONS = {
  /** Summaries of scheduler runs (`recovery-last`: the last failed-delivery recovery). */
  runs: 'scheduler-runs',
  /** One record per handled secret rotation (id = `rot_<message id>`): what was rotated, when. */
  rotations: 'rotations',
} as const;

import type { HttpResponse } from '../http/index.ts';
import type { BridgeMetrics, IntakeOutcome, IntakeSource } from '../metrics/index.ts';

/** Event names are GitHub's or Drive's own words; anything else (a forged header) is `other`. */
const EVENT_NAME = /^[a-z][a-z_]{0,39}$/;

/**
 * Counts one delivery by what the intake answered: `{status: accepted|duplicate}` bodies as they
 * say, `sync`/`ignored` Drive messages as ignored, and every error answer as rejected with its code
 * as the reason. A rejected delivery is counted under event `unverified`: most are refused before
 * (or because) their signature or channel token checked out, so their event header is only a
 * claim, and a label must not take whatever a stranger sends.
 */
export function countIntake(
  metrics: BridgeMetrics,
  source: IntakeSource,
  event: string | undefined,
  response: HttpResponse,
): void {
  const body = response.body as { status?: unknown; error?: { code?: unknown } } | undefined;
  const status = typeof body?.status === 'string' ? body.status : undefined;
  if (response.status < 300 && status !== undefined) {
    const outcome: IntakeOutcome = status === 'accepted' || status === 'duplicate' ? status : 'ignored';
    metrics.intake(source, eventLabel(event), outcome, outcome === 'ignored' ? status : undefined);
    return;
  }
  const code = typeof body?.error?.code === 'string' ? body.error.code : `http_${response.status}`;
  metrics.intake(source, 'unverified', 'rejected', code);
}

function eventLabel(event: string | undefined): string {
  if (!event) return 'none';
  return EVENT_NAME.test(event) ? event : 'other';
}

import type { AppError } from '../errors/index.ts';
import type { AiCallInput, AiCallResult, AiProvider, AiProviderId } from '../ports/index.ts';
import { providerError } from './provider-error.ts';

export type AttemptOutcome =
  | { ok: true; result: AiCallResult; latencyMs: number }
  | { ok: false; error: AppError; latencyMs: number; textSeen: boolean };

/**
 * One call to one provider with a time-to-first-byte timer: if no response event arrives within
 * `attemptTimeoutMs` the call is aborted (its client's own timeout only bounds the whole call).
 * Never throws: a failure comes back mapped to an AppError, with whether text already streamed.
 */
export async function attemptCall(
  provider: AiProvider,
  id: AiProviderId,
  input: Omit<AiCallInput, 'signal' | 'onFirstByte' | 'onText'>,
  options: { attemptTimeoutMs: number; now: () => number; onText?: ((delta: string) => void) | undefined },
): Promise<AttemptOutcome> {
  const started = options.now();
  try {
    await provider.prepare();
  } catch (err) {
    return {
      ok: false,
      error: providerError(id, err, false),
      latencyMs: options.now() - started,
      textSeen: false,
    };
  }
  const controller = new AbortController();
  let timedOut = false;
  let textSeen = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.attemptTimeoutMs);
  try {
    const result = await provider.complete({
      ...input,
      signal: controller.signal,
      onFirstByte: () => clearTimeout(timer),
      onText: (delta) => {
        textSeen = true;
        options.onText?.(delta);
      },
    });
    return { ok: true, result, latencyMs: options.now() - started };
  } catch (err) {
    return {
      ok: false,
      error: providerError(id, err, timedOut),
      latencyMs: options.now() - started,
      textSeen,
    };
  } finally {
    clearTimeout(timer);
  }
}

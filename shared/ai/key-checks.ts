import type { AppError } from '../errors/index.ts';
import type { AiProvider, AiProviderId } from '../ports/index.ts';
import { providerError } from './provider-error.ts';

/** How long one key check may take before it is given up (it then says nothing). */
const DEFAULT_TIMEOUT_MS = 5_000;

export interface KeyChecksOptions {
  timeoutMs?: number;
  /** Told of each key the provider refused (the check or a call), for the status's lastFailure. */
  onRefused(provider: AiProviderId, error: AppError): void;
}

interface KeyState {
  /** The fingerprint of the key this verdict is about (or the check under way is for). */
  keyId: string;
  valid?: boolean;
}

/**
 * Whether each provider accepts the key in use. Each key is checked once, in the background, with
 * the cheapest authenticated call (the first page of the model list) and a bounded wait; a refused
 * key (401/403, Gemini's API_KEY_INVALID) — found by the check or by a call — makes the router skip
 * the provider until the key changes (a new secret version), whose check then starts. A check that
 * fails otherwise (timeout, 5xx, 429) says nothing: the provider stays usable and its breaker decides.
 * Only fingerprints are kept, never a key.
 */
export class KeyChecks {
  private readonly state = new Map<AiProviderId, KeyState>();
  private readonly providers: Map<AiProviderId, AiProvider>;
  private readonly options: KeyChecksOptions;
  private initial: Promise<void> = Promise.resolve();

  constructor(providers: readonly AiProvider[], options: KeyChecksOptions) {
    this.providers = new Map(providers.map((p) => [p.id, p]));
    this.options = options;
  }

  /** Checks every provider's key now, in the background. */
  start(): void {
    this.initial = Promise.all([...this.providers.values()].map((p) => this.check(p))).then(() => undefined);
  }

  /** Resolves when the checks started by `start` have ended (each within its timeout). */
  settled(): Promise<void> {
    return this.initial;
  }

  valid(id: AiProviderId): boolean | undefined {
    return this.state.get(id)?.valid;
  }

  /**
   * Whether the provider may be tried: only a provider whose refused key is still the one in use
   * may not. A key that changed since its verdict (a new secret version) is tried, and checked.
   * Costs a key read (the store's cache) and a string comparison.
   */
  async usable(provider: AiProvider): Promise<boolean> {
    const known = this.state.get(provider.id);
    if (known === undefined) return true;
    const keyId = await provider.keyId().catch(() => known.keyId);
    if (keyId === known.keyId) return known.valid !== false;
    // A new key: try it, and check it (once, however many requests see the change).
    this.state.set(provider.id, { keyId });
    void this.check(provider);
    return true;
  }

  /** A call was refused for the key: remember it against the key now in use. */
  async refused(provider: AiProvider): Promise<void> {
    const keyId = await provider.keyId().catch(() => undefined);
    if (keyId !== undefined) this.state.set(provider.id, { keyId, valid: false });
  }

  private async check(provider: AiProvider): Promise<void> {
    let keyId: string;
    try {
      keyId = await provider.keyId();
    } catch {
      return; // No key to check (the secret has no enabled version): the call will say so.
    }
    this.state.set(provider.id, { keyId });
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let verdict: boolean | undefined;
    let refusal: AppError | undefined;
    try {
      await provider.prepare();
      await provider.checkKey(signal);
      verdict = true;
    } catch (err) {
      const error = providerError(provider.id, err, signal.aborted);
      if (error.code === 'config_invalid') {
        verdict = false;
        refusal = error;
      }
    }
    // A later check, or a call's refusal, of another key has the last word.
    const now = this.state.get(provider.id);
    if (verdict === undefined || now?.keyId !== keyId || now.valid === false) return;
    this.state.set(provider.id, { keyId, valid: verdict });
    if (refusal) this.options.onRefused(provider.id, refusal);
  }
}

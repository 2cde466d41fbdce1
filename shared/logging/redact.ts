const SENSITIVE_KEY =
  /(token|secret|password|passwd|signature|authorization|cookie|private.?key|api.?key|credential)/i;

// Shapes of credentials that must never reach a log even inside free text.
const SENSITIVE_VALUE: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsha(1|256)=[0-9a-f]{40,64}\b/gi, // webhook signatures
  /\bya29\.[A-Za-z0-9_.-]+/g, // Google OAuth access tokens
  /\b(Bearer|token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/g, // JWTs
];

export const REDACTED = '[REDACTED]';

/** Values registered at run time (secrets read from the store) that are scrubbed from any string. */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    // Very short values would redact ordinary words; they are not credentials we hold.
    if (value && value.length >= 6) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    for (const re of SENSITIVE_VALUE) out = out.replace(re, REDACTED);
    return out;
  }
}

/** Deep copy of `value` with sensitive keys masked and sensitive strings scrubbed. */
export function redact(value: unknown, secrets: SecretRegistry, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return secrets.scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: secrets.scrub(value.message),
      stack: value.stack && secrets.scrub(value.stack),
    };
  }
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      SENSITIVE_KEY.test(k) && v !== undefined && v !== null && typeof v !== 'boolean'
        ? REDACTED
        : redact(v, secrets, depth + 1);
  }
  return out;
}

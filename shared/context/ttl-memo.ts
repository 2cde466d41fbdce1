/**
 * Answers worth keeping for a short while (an access check GitHub answered a minute ago), per
 * context. Bounded: past `maxEntries` the oldest go first.
 */
export class TtlMemo {
  private readonly entries = new Map<string, { value: unknown; until: number }>();
  private readonly maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.maxEntries = maxEntries;
  }

  get<T>(key: string, nowMs: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  set(key: string, value: unknown, untilMs: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: untilMs });
  }
}

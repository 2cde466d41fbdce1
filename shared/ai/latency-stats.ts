/** Smoothed latency of successful calls per provider/model (exponentially weighted, α = 0.2). */
export class LatencyStats {
  private readonly stats = new Map<string, { ewma: number; samples: number }>();

  record(key: string, ms: number): void {
    const prev = this.stats.get(key);
    this.stats.set(
      key,
      prev ? { ewma: prev.ewma * 0.8 + ms * 0.2, samples: prev.samples + 1 } : { ewma: ms, samples: 1 },
    );
  }

  get(key: string): { ewma: number; samples: number } | undefined {
    const s = this.stats.get(key);
    return s ? { ewma: Math.round(s.ewma * 10) / 10, samples: s.samples } : undefined;
  }
}

import { describe, expect, it } from 'vitest';
import {
  assessHealth,
  channelCheck,
  healthChange,
  latencyCheck,
  rateLimitCheck,
  webhookCheck,
} from '../../../shared/domain/index.ts';

describe('integration health (pure)', () => {
  it('the worst check decides; the failing ones are listed', () => {
    expect(assessHealth([])).toEqual({ status: 'healthy', failing: [] });
    const checks = [
      { check: 'repo.auth', status: 'healthy', reason: 'ok' },
      { check: 'repo.webhook', status: 'degraded', reason: 'gone' },
      { check: 'design.auth', status: 'unhealthy', reason: '401' },
    ] as const;
    const { status, failing } = assessHealth(checks);
    expect(status).toBe('unhealthy');
    expect(failing.map((c) => c.check)).toEqual(['repo.webhook', 'design.auth']);
  });

  it('a change is reported once, when it starts; a first healthy check is no change', () => {
    expect(healthChange(undefined, 'healthy')).toBeUndefined();
    expect(healthChange('healthy', 'healthy')).toBeUndefined();
    expect(healthChange('unhealthy', 'unhealthy')).toBeUndefined();
    expect(healthChange(undefined, 'degraded')).toBe('degraded');
    expect(healthChange('degraded', 'unhealthy')).toBe('unhealthy');
    expect(healthChange('unhealthy', 'degraded')).toBe('degraded');
    expect(healthChange('unhealthy', 'healthy')).toBe('recovered');
  });

  it('rate-limit headroom: the tightest reading decides', () => {
    const r = (remaining: number, limit = 5000) => ({ resource: 'core', limit, remaining, resetAt: 'T' });
    expect(rateLimitCheck([]).status).toBe('healthy');
    expect(rateLimitCheck([r(4000), r(600)]).status).toBe('healthy');
    expect(rateLimitCheck([r(4000), r(499)]).status).toBe('degraded');
    expect(rateLimitCheck([r(4000), r(0)])).toMatchObject({
      status: 'unhealthy',
      reason: expect.stringMatching(/0 of 5000/),
    });
    expect(rateLimitCheck([r(0, 0)]).status).toBe('healthy');
  });

  it('webhook: present, active, last delivery 2xx; latency; channels', () => {
    const ours = (url: string) => url === 'https://bridge/github/webhook';
    const hook = { url: 'https://bridge/github/webhook', active: true, events: ['push'] };
    expect(webhookCheck([], ours).status).toBe('degraded');
    expect(webhookCheck([{ ...hook, url: 'https://other/hook' }], ours).status).toBe('degraded');
    expect(webhookCheck([{ ...hook, active: false }], ours).reason).toMatch(/inactive/);
    expect(webhookCheck([hook], ours).status).toBe('healthy');
    expect(webhookCheck([{ ...hook, lastResponse: { code: 200, status: 'active' } }], ours).status).toBe(
      'healthy',
    );
    expect(webhookCheck([{ ...hook, lastResponse: { code: 500, status: 'failed' } }], ours).status).toBe(
      'degraded',
    );
    expect(latencyCheck(100).status).toBe('healthy');
    expect(latencyCheck(5000).status).toBe('degraded');
    const now = new Date('2026-12-06T12:00:00Z');
    expect(channelCheck([], now).reason).toMatch(/no Drive channel/);
    expect(channelCheck([{ expiresAt: '2026-12-06T11:00:00Z' }], now).reason).toMatch(/expired/);
    expect(
      channelCheck([{ expiresAt: '2026-12-06T11:00:00Z' }, { expiresAt: '2026-12-07T11:00:00Z' }], now)
        .status,
    ).toBe('healthy');
  });
});

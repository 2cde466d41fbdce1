import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  githubComment,
  type NotificationEvent,
  signBody,
  slackMessage,
  webhookBody,
} from '../../../shared/domain/index.ts';
import { checkTargetUrl } from '../../../shared/notifications/target-url.ts';

const event: NotificationEvent = {
  trigger: 'conflict-opened',
  tenant: 'acme',
  linkId: 'lnk_1',
  repo: 'https://github.com/acme/platform',
  design: 'https://drive.google.com/file/d/F',
  title: 'core name: <b>disagree</b> & more',
  text: 'Choose one @octocat <script>alert(1)</script>',
  fields: [{ label: 'Design', value: '[click](https://evil.example) *bold*' }],
  path: '/#link/lnk_1',
  oncePer: 'c1',
  at: '2026-12-06T00:00:00.000Z',
};

describe('notification rendering (pure)', () => {
  it('Slack: markup from a repository or design is escaped; the page link is the bridge’s', () => {
    const message = slackMessage(event, 'https://bridge.example/');
    // mrkdwn turns <…> into links and mentions (<@U1>, <!channel>): escaped there; plain_text shows text as it is.
    const mrkdwn: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') mrkdwn.push(o.text);
        Object.values(o).forEach(walk);
      }
    };
    walk(message.blocks);
    const text = mrkdwn.join('\n');
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;');
    expect(text).toContain('<https://bridge.example/#link/lnk_1|Open in the bridge>');
    expect(message.text).toBe(
      'Conflict waiting for a decision: core name: &lt;b&gt;disagree&lt;/b&gt; &amp; more',
    );
  });

  it('GitHub comment: no mention, link or HTML survives from the values', () => {
    const body = githubComment(event, 'https://bridge.example');
    expect(body).not.toMatch(/(^|[^\\])@octocat/);
    expect(body).not.toContain('[click](');
    expect(body).not.toMatch(/(^|[^\\])<script>/);
    expect(body).toContain('[Open in the bridge](https://bridge.example/#link/lnk_1)');
  });

  it('webhook: the event, its delivery id and the page; signed like GitHub signs', () => {
    const body = webhookBody(event, 'https://bridge.example', 'd-1');
    expect(JSON.parse(body)).toMatchObject({
      deliveryId: 'd-1',
      trigger: 'conflict-opened',
      url: 'https://bridge.example/#link/lnk_1',
    });
    expect(signBody(body, 'k')).toBe(`sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`);
  });

  it('target URLs: https and public only; loopback http only where allowed', () => {
    expect(checkTargetUrl('https://hooks.slack.com/services/T/B/x', { allowLoopback: false }).host).toBe(
      'hooks.slack.com',
    );
    expect(checkTargetUrl('http://127.0.0.1:9/x', { allowLoopback: true }).port).toBe('9');
    for (const bad of [
      'http://127.0.0.1:9/x',
      'http://example.com/x',
      'https://localhost/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://intranet/x',
      'https://db.internal/x',
      'https://a:b@example.com/x',
      'not a url',
    ]) {
      expect(() => checkTargetUrl(bad, { allowLoopback: false }), bad).toThrow(/url:/);
    }
  });
});

describe('notification events', () => {
  it('keep a conflict’s values short, however large they are', async () => {
    const { conflictOpened } = await import('../../../shared/notifications/index.ts');
    const link = { id: 'lnk_1', tenant: 'acme', repo: 'r', design: 'd' };
    const huge = 'x'.repeat(100_000);
    const event = conflictOpened(link, {
      id: 'c1',
      linkId: 'lnk_1',
      fingerprint: 'f',
      tenant: 'acme',
      operationId: 'op',
      state: 'open',
      serviceId: 'core',
      field: 'description',
      kind: 'field',
      base: null,
      design: huge,
      definitions: { nested: huge },
      resolution: 'open',
      createdAt: '2026-12-06T00:00:00.000Z',
    } as never);
    expect(JSON.stringify(event).length).toBeLessThan(3_000);
    expect(event.fields[0]?.value).toMatch(/^x{499}…$/);
  });
});

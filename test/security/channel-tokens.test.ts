import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveChannel } from '../../shared/ingress/channels.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, send } from './support.ts';

const CHANNEL = 'channel-security-1';
const TOKEN = 'channel-token-0123456789abcdef0123456789';

describe('Drive channel tokens through the real server', () => {
  let bridge: TestBridge;
  let n = 0;

  beforeAll(async () => {
    bridge = await startTestBridge();
    await saveChannel(bridge.ctx.state, CHANNEL, {
      linkId: 'link-security',
      token: TOKEN,
      resourceId: 'resource-1',
      kind: 'file',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const notify = (headers: Record<string, string>) => {
    n += 1;
    return send(bridge.url, 'POST', '/drive/notifications', {
      token: null,
      headers: {
        'x-goog-channel-id': CHANNEL,
        'x-goog-channel-token': TOKEN,
        'x-goog-resource-state': 'update',
        'x-goog-message-number': String(n),
        'x-goog-resource-id': 'resource-1',
        ...headers,
      },
    });
  };

  it('the right channel and token is accepted', async () => {
    expect((await notify({})).status).toBe(200);
  });

  it.each([
    ['a wrong token', { 'x-goog-channel-token': 'channel-token-wrong' }],
    ['a token one character short', { 'x-goog-channel-token': TOKEN.slice(0, -1) }],
    ['the token with a suffix', { 'x-goog-channel-token': `${TOKEN}x` }],
    ['a token for another resource id', { 'x-goog-resource-id': 'resource-2' }],
  ])('%s is 401', async (_name, headers) => {
    const res = await notify(headers);
    expectError(res, 401, 'unauthorized');
    expect(res.text).not.toContain(TOKEN);
  });

  it.each([
    ['an unknown channel', 'channel-unknown'],
    ['a traversal-shaped channel id', '../channels/channel-security-1'],
  ])('%s is 404', async (_name, channel) => {
    expectError(await notify({ 'x-goog-channel-id': channel }), 404, 'not_found');
  });

  it('a missing token header is 400 naming the header', async () => {
    const res = await notify({ 'x-goog-channel-token': '' });
    expect(expectError(res, 400, 'bad_request')).toContain('x-goog-channel-token');
  });

  it('the channel token is never logged', async () => {
    await notify({ 'x-goog-channel-token': 'channel-token-wrong' });
    expect(bridge.logs.join('\n')).toContain('wrong channel token');
    expect(bridge.logs.join('\n')).not.toContain(TOKEN);
  });
});

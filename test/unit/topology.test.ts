import { describe, expect, it } from 'vitest';
import { main } from '../../shared/cli/main.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import {
  FUNCTION_NAMES,
  FUNCTION_SPECS,
  findPushSubscription,
  findTopic,
  PUSH_SUBSCRIPTIONS,
  TOPIC_SPECS,
  TOPICS,
  terraformTopologyJson,
} from '../../shared/topology/index.ts';

const topics = Object.values(TOPICS);

describe('the topology', () => {
  it('gives every topic one push subscription, to a push function', () => {
    expect(PUSH_SUBSCRIPTIONS.map((s) => s.topic).sort()).toEqual([...topics].sort());
    for (const s of PUSH_SUBSCRIPTIONS) {
      expect(s.consumer).toBe(TOPIC_SPECS[s.topic].consumer);
      expect(FUNCTION_SPECS[s.consumer].trigger, s.name).toBe('push');
    }
    expect(new Set(PUSH_SUBSCRIPTIONS.map((s) => s.name)).size).toBe(PUSH_SUBSCRIPTIONS.length);
  });

  it.each(PUSH_SUBSCRIPTIONS)('$name stays inside Pub/Sub’s limits and outwaits its consumer', (s) => {
    expect(s.ackDeadlineSeconds).toBeGreaterThanOrEqual(10);
    expect(s.ackDeadlineSeconds).toBeLessThanOrEqual(600);
    // Pub/Sub must not redeliver while the consumer may still be working on the message.
    expect(s.ackDeadlineSeconds).toBeGreaterThanOrEqual(FUNCTION_SPECS[s.consumer].timeoutSeconds);
    expect(s.maxDeliveryAttempts).toBeGreaterThanOrEqual(5);
    expect(s.maxDeliveryAttempts).toBeLessThanOrEqual(100);
    expect(s.minimumBackoffSeconds).toBeLessThanOrEqual(s.maximumBackoffSeconds);
    expect(s.maximumBackoffSeconds).toBeLessThanOrEqual(600);
    expect(s.deadLetterTopic).not.toBe(s.topic);
  });

  it('names only topics that exist and secrets the bridge has', () => {
    const secrets = new Set<string>([
      ...Object.values(SECRETS),
      'drive-channel-tokens',
      'github-oauth-client-secret',
    ]);
    expect(Object.keys(FUNCTION_SPECS).sort()).toEqual([...FUNCTION_NAMES].sort());
    for (const [name, f] of Object.entries(FUNCTION_SPECS)) {
      for (const t of f.publishes) expect(topics, name).toContain(t);
      for (const s of f.secrets) expect(secrets.has(s), `${name}: ${s}`).toBe(true);
    }
  });

  it('declares each topic’s attributes, and an ordering key where order matters', () => {
    for (const t of [TOPICS.githubEvents, TOPICS.driveChanges, TOPICS.syncRequests])
      expect(TOPIC_SPECS[t].orderingKey, t).toBeDefined();
    for (const spec of Object.values(TOPIC_SPECS)) expect(spec.attributes.length).toBeGreaterThan(0);
  });

  it('resolves deployed names only with the deployment’s prefix', () => {
    expect(findPushSubscription('stg-sync-requests-push', 'stg-')?.topic).toBe('sync-requests');
    expect(findPushSubscription('sync-requests-push', 'stg-')).toBeUndefined();
    expect(findPushSubscription('stg-sync-requests-push-v2', 'stg-')).toBeUndefined();
    expect(findTopic('stg-drive-changes', 'stg-')).toBe('drive-changes');
    expect(findTopic('drive-changes', '')).toBe('drive-changes');
    expect(findTopic('drive-changes-dead-letter', '')).toBeUndefined();
  });
});

describe('bridge topology', () => {
  it('prints what npm run topology writes to terraform/topology.json', async () => {
    let out = '';
    const code = await main(['topology'], {}, { out: (t) => (out += t), err: () => {} });
    expect(code).toBe(0);
    expect(out).toBe(terraformTopologyJson());
    expect(JSON.parse(out).push_subscriptions['sync-requests']).toMatchObject({
      name: 'sync-requests-push',
      function: 'sync-worker',
    });
  });
});

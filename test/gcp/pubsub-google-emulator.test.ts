import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import type { BusMessage, DeadLetter } from '../../shared/ports/index.ts';
import { subscriptionOfTopic, TOPICS } from '../../shared/topology/index.ts';
import { emulatorsMissing } from '../support/emulators/gcloud-emulators.ts';
import { type PubSubRig, startPubSubRig } from './support/pubsub-emulator-rig.ts';
import type { PushDelivery } from './support/push-endpoint.ts';

/*
 * The Pub/Sub half of the bridge on Google's own emulator (gcloud 528), through the bridge's own
 * adapters: the publisher and dead-letter reader createGcpBackends builds from PUBSUB_EMULATOR_HOST,
 * and the push handler the consumer functions serve. Topics and subscriptions come from
 * shared/topology (deploy-topology.ts, the declaration Terraform reads), with the emulator's gaps
 * worked around there: the sync-requests subscription keeps its dead-letter policy and loses
 * ordering, github-events keeps ordering and carries the declared retry policy.
 *
 * Emulator facts asserted below (real Pub/Sub differs): pushes carry no deliveryAttempt, no
 * orderingKey and no OIDC token; the declared 10 s minimum backoff is not honoured (redelivery in
 * about 1 s); a dead-letter policy on an ordered subscription loses the message. Not possible here,
 * so covered by loopback servers instead: publish faults (UNAVAILABLE retried, permanent errors, a
 * paused ordering key) and batching in pubsub-publisher.test.ts; a failing replay or release, and
 * that every pull asks to return at once, in pubsub-dead-letters.test.ts (the emulator holds an empty
 * pull until about 1 s before the call's deadline, so with the reader's 1 s deadline it answers at
 * once either way: the timing here proves the answer is quick, not why).
 */
const missing = await emulatorsMissing();
if (missing) console.warn(`Pub/Sub emulator tests skipped: ${missing}`);
const PROJECT = 'demo-bridge';
const PREFIX = 'emu-';
/** "Within about a second", with room for a loaded 2-core machine. */
const ANSWER_MS = 2_000;
/** One push redelivery (about 1 s) with room for a loaded 2-core machine. */
const PUSH_MS = 15_000;

const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};
const on = (subscription: string) => (d: PushDelivery) => d.subscription === `${PREFIX}${subscription}`;
const pushesOf = (deliveries: PushDelivery[], id: string) => deliveries.filter((d) => d.message?.id === id);

describe.skipIf(missing !== undefined)(
  `Pub/Sub on Google's emulator${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let rig: PubSubRig;
    // The starter waits up to 90 s for the emulator: Java starts slowly on a loaded 2-core machine.
    beforeAll(async () => {
      rig = await startPubSubRig(PROJECT, PREFIX);
    }, 120_000);
    afterAll(async () => {
      await rig?.close();
    });

    it('deploys github-events ordered with its retry policy, sync-requests dead-lettered (not both)', async () => {
      const of = (topic: string) => rig.deployed.find((d) => d.spec.topic === topic);
      expect(of(TOPICS.githubEvents)).toMatchObject({ ordered: true, deadLettered: false });
      expect(of(TOPICS.syncRequests)).toMatchObject({ ordered: false, deadLettered: true });
      expect(await rig.rest('GET', `subscriptions/${PREFIX}github-events-push`)).toMatchObject({
        enableMessageOrdering: true,
        retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
        pushConfig: { oidcToken: { serviceAccountEmail: `push-invoker@${PROJECT}.iam.gserviceaccount.com` } },
      });
    });

    it('publishes data, attributes and ordering keys; the ordered subscription pushes each key one at a time, in order', async () => {
      const inFlight = new Map<string, number>();
      let most = 0;
      // octo/a's first message is held until all of octo/b's are consumed: with the keys independent
      // (so each reached Pub/Sub) they flow meanwhile, and none of octo/a's may overtake the held one.
      let otherKeyDone = () => {};
      const otherKey = new Promise<boolean>((resolve) => {
        otherKeyDone = () => resolve(true);
      });
      let consumedB = 0;
      let overlapped = false;
      rig.worker.consume = async (m) => {
        const key = m.attributes.repository ?? '';
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        most = Math.max(most, inFlight.get(key) ?? 0);
        if (key === 'octo/a' && (m.data as { n: number }).n === 0) {
          const ac = new AbortController();
          const gaveUp = delay(5_000, false, { signal: ac.signal }).catch(() => false);
          overlapped = await Promise.race([otherKey, gaveUp]);
          ac.abort();
        }
        // The consumer's work takes a while, so a second push of the same key would overlap it.
        await delay(30);
        inFlight.set(key, (inFlight.get(key) ?? 0) - 1);
        if (key === 'octo/b' && ++consumedB === 5) otherKeyDone();
      };
      const repos = ['octo/a', 'octo/b'];
      const published = await Promise.all(
        [0, 1, 2, 3, 4].flatMap((n) =>
          repos.map(async (repository) => {
            const attributes = { event: 'push', deliveryId: `d-${repository}-${n}`, repository };
            const id = await rig.backends.publisher.publish(
              TOPICS.githubEvents,
              { repository, n, text: 'héllo ✓' },
              { attributes, orderingKey: repository },
            );
            return { id, attributes };
          }),
        ),
      );
      const pushed = (await rig.worker.until((d) => d.filter(on('github-events-push')).length >= 10, PUSH_MS))
        .filter(on('github-events-push'))
        .map((d) => d.message as BusMessage);
      expect(new Set(pushed.map((m) => m.id))).toEqual(new Set(published.map((p) => p.id)));
      for (const repository of repos) {
        const mine = pushed.filter((m) => m.attributes.repository === repository);
        expect(mine.map((m) => (m.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
      }
      expect(most).toBe(1);
      expect(overlapped).toBe(true);
      const first = pushed.find((m) => m.id === published[0]?.id);
      expect(first).toMatchObject({
        topic: TOPICS.githubEvents,
        data: { repository: 'octo/a', n: 0, text: 'héllo ✓' },
        attributes: published[0]?.attributes,
        maxDeliveryAttempts: subscriptionOfTopic(TOPICS.githubEvents).maxDeliveryAttempts,
      });
      // Emulator facts: no deliveryAttempt (the handler says it is unknown), no orderingKey in the
      // envelope, no OIDC token although the subscription asks for one (real Pub/Sub sends all three).
      const deliveries = rig.worker.deliveries.filter(on('github-events-push'));
      expect(deliveries.map((d) => d.message?.deliveryAttemptKnown)).toEqual(deliveries.map(() => false));
      expect(deliveries.map((d) => d.message?.orderingKey)).toEqual(deliveries.map(() => undefined));
      expect(deliveries.map((d) => d.headers.authorization)).toEqual(deliveries.map(() => undefined));
    });

    it('a 5xx from the push handler makes the emulator push the message again, sooner than the declared backoff', async () => {
      const failedOnce = new Set<string>();
      rig.worker.consume = async (m) => {
        if (failedOnce.has(m.id)) return;
        failedOnce.add(m.id);
        throw new AppError('unavailable', 'GitHub is down (test)');
      };
      const id = await rig.backends.publisher.publish(
        TOPICS.githubEvents,
        { retry: true },
        { attributes: { event: 'push', deliveryId: 'd-retry' }, orderingKey: 'octo/retry' },
      );
      const pushes = pushesOf(
        await rig.worker.until((d) => pushesOf(d, id).some((p) => p.status === 204), PUSH_MS),
        id,
      );
      expect(pushes.map((p) => p.status)).toEqual([503, 204]);
      expect(pushes.map((p) => p.message?.deliveryAttempt)).toEqual([1, 1]);
      const [firstPush, secondPush] = pushes as [PushDelivery, PushDelivery];
      const gapMs = secondPush.at - firstPush.at;
      // Emulator fact: the subscription's retry policy says 10 s at least; the emulator retries in ~1 s.
      expect(subscriptionOfTopic(TOPICS.githubEvents).minimumBackoffSeconds).toBe(10);
      expect(gapMs).toBeLessThan(5_000);
    });

    it('dead-letters after the declared attempts; listed and replayed within about a second each', {
      timeout: 60_000,
    }, async () => {
      const spec = subscriptionOfTopic(TOPICS.syncRequests);
      let failing = true;
      rig.worker.consume = async () => {
        if (failing) throw new AppError('unavailable', 'the sync keeps failing (test)');
      };
      const data = { linkId: 'lnk_dead', operationId: 'op_dead' };
      const attributes = { linkId: 'lnk_dead', operationId: 'op_dead', trigger: 'manual' };
      const id = await rig.backends.publisher.publish(TOPICS.syncRequests, data, {
        attributes,
        orderingKey: 'lnk_dead',
      });
      const pushes = pushesOf(
        await rig.worker.until((d) => pushesOf(d, id).length >= spec.maxDeliveryAttempts, 45_000),
        id,
      );
      const lastPush = pushes.at(-1) as PushDelivery;
      // Emulator fact: real Pub/Sub counts attempts in the envelope of a dead-lettering subscription.
      expect(pushes.map((p) => p.message?.deliveryAttemptKnown)).toEqual(pushes.map(() => false));

      // The emulator forwards it about 1 s after the last push (at the next redelivery): every listing
      // until then, and the one that finds it, is timed.
      const listings: number[] = [];
      let letters: DeadLetter[] = [];
      for (const deadline = performance.now() + PUSH_MS; ; await delay(100)) {
        const listed = await timed(() => rig.backends.deadLetters.listDeadLetters());
        listings.push(listed.ms);
        letters = listed.result;
        if (letters.length > 0) break;
        if (performance.now() > deadline) throw new Error('the dead letter never arrived');
      }
      expect(Math.max(...listings)).toBeLessThan(ANSWER_MS);
      expect(performance.now() - lastPush.at).toBeLessThan(PUSH_MS);
      expect(pushesOf(rig.worker.deliveries, id)).toHaveLength(spec.maxDeliveryAttempts);
      expect(letters).toEqual([
        {
          id: expect.any(String),
          topic: TOPICS.syncRequests,
          attempts: spec.maxDeliveryAttempts,
          deadAt: expect.any(String),
          lastError: expect.stringContaining('function logs'),
          message: {
            id: letters[0]?.id,
            topic: TOPICS.syncRequests,
            data,
            attributes,
            orderingKey: 'lnk_dead',
            publishTime: lastPush.message?.publishTime,
            deliveryAttempt: spec.maxDeliveryAttempts,
          },
        },
      ]);
      // Listing hides nothing: the dead letter is listed again at once.
      const again = await timed(() => rig.backends.deadLetters.listDeadLetters());
      expect(again.result.map((d) => d.id)).toEqual([letters[0]?.id]);
      expect(again.ms).toBeLessThan(ANSWER_MS);

      failing = false;
      const replay = await timed(() => rig.backends.deadLetters.replayDeadLetter(letters[0]?.id ?? ''));
      expect(replay.result).toBe(true);
      expect(replay.ms).toBeLessThan(ANSWER_MS);
      const replayed = (
        await rig.worker.until(
          (d) => d.some((p) => p.status === 204 && p.message?.attributes.operationId === 'op_dead'),
          PUSH_MS,
        )
      ).find((p) => p.status === 204 && p.message?.attributes.operationId === 'op_dead');
      expect(replayed?.message).toMatchObject({ topic: TOPICS.syncRequests, data, attributes });
      expect(replayed?.message?.id).not.toBe(id);
      expect(await rig.backends.deadLetters.listDeadLetters()).toEqual([]);
      const unknown = await timed(() => rig.backends.deadLetters.replayDeadLetter('no-such-message'));
      expect(unknown.result).toBe(false);
      expect(unknown.ms).toBeLessThan(ANSWER_MS);
    });

    it('a missing dead-letter subscription is a 503 naming what to apply; a missing topic is not_found', async () => {
      // Closed with the rig.
      const elsewhere = await rig.backendsFor('absent-');
      await expect(elsewhere.deadLetters.listDeadLetters()).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('terraform/pubsub.tf'),
      });
      // Publishing to a topic that does not exist is the one publish fault the emulator can show.
      await expect(elsewhere.publisher.publish(TOPICS.syncRequests, {})).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('emulator fact: a dead-letter policy on an ORDERED subscription loses the message', async () => {
      const topic = `projects/${PROJECT}/topics/${PREFIX}fact-ordered`;
      const deadTopic = `${topic}-dead-letter`;
      await rig.rest('PUT', `topics/${PREFIX}fact-ordered`);
      await rig.rest('PUT', `topics/${PREFIX}fact-ordered-dead-letter`);
      await rig.rest('PUT', `subscriptions/${PREFIX}fact-ordered-dead-letter`, { topic: deadTopic });
      // Pushed to the scheduler's handler, which refuses a subscription the topology does not
      // declare (500): every push fails.
      await rig.rest('PUT', `subscriptions/${PREFIX}fact-ordered-push`, {
        topic,
        enableMessageOrdering: true,
        pushConfig: { pushEndpoint: rig.scheduler.url },
        deadLetterPolicy: { deadLetterTopic: deadTopic, maxDeliveryAttempts: 5 },
      });
      await rig.rest('POST', `topics/${PREFIX}fact-ordered:publish`, {
        messages: [{ data: Buffer.from('{}').toString('base64'), orderingKey: 'k' }],
      });
      const fact = on('fact-ordered-push');
      await rig.scheduler.until((d) => d.filter(fact).length >= 5, PUSH_MS);
      expect(rig.scheduler.deliveries.filter(fact).map((d) => d.status)).toEqual([500, 500, 500, 500, 500]);
      // The unordered sync-requests subscription dead-letters within about a second of its last push;
      // this one is given three redelivery intervals, and neither forwards nor pushes again.
      for (const deadline = performance.now() + 3_000; performance.now() < deadline; ) {
        const pulled = await rig.rest('POST', `subscriptions/${PREFIX}fact-ordered-dead-letter:pull`, {
          maxMessages: 10,
          returnImmediately: true,
        });
        expect(pulled.receivedMessages ?? []).toEqual([]);
        await delay(250);
      }
      expect(rig.scheduler.deliveries.filter(fact)).toHaveLength(5);
    });
  },
);

import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS, type Link } from '../../shared/records/index.ts';
import { declineProposal, linkIdOfProposalBranch } from '../../shared/sync/declined-proposal.ts';
import { type Harness, startHarness } from '../scheduler/support/scheduler-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const pending = {
  fingerprint: 'f1',
  changes: 'c1',
  branch: 'bridge/lnk_a',
  headSha: 'a'.repeat(40),
  number: 7,
  url: 'https://github.com/acme/platform/pull/7',
};

describe('declined proposals', () => {
  it.each([
    ['bridge/lnk_abc', 'lnk_abc'],
    ['bridge/', undefined],
    ['feature/x', undefined],
    [undefined, undefined],
  ])('the proposal branch %s belongs to link %s', (ref, linkId) => {
    expect(linkIdOfProposalBranch(ref)).toBe(linkId);
  });

  it('records only the link’s current proposal; an older or unknown pull request changes nothing', async () => {
    h = await startHarness();
    const link = await h.addLink({ pendingPullRequest: pending, status: 'out_of_sync' });

    expect(await declineProposal(h.ctx, link.id, { number: 6, url: 'old' })).toBe(false);
    // Same number, another repository's pull request (a branch named like this link's).
    const elsewhere = 'https://github.com/evil/fork/pull/7';
    expect(await declineProposal(h.ctx, link.id, { number: 7, url: elsewhere })).toBe(false);
    expect(await declineProposal(h.ctx, 'lnk_missing', { number: 7, url: 'x' })).toBe(false);
    expect((await h.ctx.state.get<Link>(COLLECTIONS.links, link.id))?.data.pendingPullRequest).toEqual(
      pending,
    );

    expect(await declineProposal(h.ctx, link.id, { number: 7, url: pending.url })).toBe(true);
    const after = (await h.ctx.state.get<Link>(COLLECTIONS.links, link.id))?.data;
    expect(after?.pendingPullRequest).toBeUndefined();
    expect(after).toMatchObject({
      status: 'out_of_sync',
      declinedProposal: { changes: 'c1', number: 7, url: pending.url, at: h.clock.now().toISOString() },
    });
    // A redelivered webhook finds nothing pending any more.
    expect(await declineProposal(h.ctx, link.id, { number: 7, url: pending.url })).toBe(false);
  });

  it('keeps a paused link paused', async () => {
    h = await startHarness();
    const link = await h.addLink({ pendingPullRequest: pending, status: 'paused' });
    expect(await declineProposal(h.ctx, link.id, { number: 7, url: pending.url })).toBe(true);
    expect((await h.ctx.state.get<Link>(COLLECTIONS.links, link.id))?.data.status).toBe('paused');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { MODEL_PARAGRAPH, type SummaryWorld, startSummaryWorld } from './summary-world.ts';
import { component } from './support.ts';

/**
 * When the model cannot give the paragraph, the run still succeeds with the deterministic summary,
 * and the history entry says why (each test its own bridge: breakers and rate limits start fresh).
 */
describe('change summaries when the model does not answer', () => {
  let w: SummaryWorld;
  afterEach(async () => {
    await w?.close();
  });

  it('with the provider answering 500s, the PR carries the deterministic summary and says why', async () => {
    w = await startSummaryWorld();
    w.ai.fault('openai', { status: 500, times: Number.POSITIVE_INFINITY });
    const link = await w.pullRequestLink();
    w.editDesign((d) => {
      component(d, 'persistence').version = '1.6.0';
    });
    const op = await w.sync(link.id);
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    expect(w.modelCalls()).toBeGreaterThan(0);
    expect(op.summary).toMatchObject({ source: 'deterministic', reason: 'providers-down' });
    expect(op.summary?.text).toBe(
      'In the definitions (from the design): Persistence (persistence): version 1.5.0 to 1.6.0, a minor version: new features, still backwards compatible.',
    );
    const body = w.pull()?.body ?? '';
    expect(body).toContain('**Summary** (built from the list of changes below): In the definitions');
    expect(body).toContain('version 1\\.5\\.0 to 1\\.6\\.0, a minor version');
    expect(body).toContain('- updated `persistence`: version');
  });

  it('with the provider gone (connection refused), the deterministic summary; the sync still succeeds', async () => {
    w = await startSummaryWorld();
    const link = await w.pullRequestLink();
    await w.ai.close();
    w.editDesign((d) => {
      component(d, 'auth').version = '2.0.0-rc.1';
    });
    const op = await w.sync(link.id);
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    expect(op.summary).toMatchObject({ source: 'deterministic', reason: 'providers-down' });
    expect(op.summary?.text).toContain('version 1.0.0 to 2.0.0-rc.1, a pre-release of a major version');
    expect(op.summary?.text).toContain('core depends on it');
    expect(w.pull()?.body).toContain('built from the list of changes below');
  });

  it('throttled (the tenant used its AI rate): the deterministic summary, reason throttled', async () => {
    w = await startSummaryWorld({ AI_TENANT_RPM: '1', AI_TENANT_BURST: '1', AI_QUEUE_WAIT_MS: '0' });
    w.ai.answer('openai', { text: JSON.stringify({ summary: MODEL_PARAGRAPH }) });
    const link = await w.pullRequestLink();
    w.editDesign((d) => {
      component(d, 'persistence').version = '2.0.0';
    });
    expect((await w.sync(link.id)).summary?.source).toBe('model');
    w.editDesign((d) => {
      component(d, 'auth').version = '1.0.1';
    });
    const op = await w.sync(link.id);
    expect(op.summary).toMatchObject({ source: 'deterministic', reason: 'throttled' });
    expect(w.modelCalls()).toBe(1);
  });

  it('an answer outside the schema is not used: the deterministic summary, reason invalid-output', async () => {
    w = await startSummaryWorld();
    w.ai.answer('openai', { text: JSON.stringify({ summary: 'x'.repeat(5000) }) });
    const link = await w.pullRequestLink();
    w.editDesign((d) => {
      component(d, 'persistence').version = '1.5.1';
    });
    const op = await w.sync(link.id);
    expect(op.summary).toMatchObject({ source: 'deterministic', reason: 'invalid-output' });
    expect(w.pull()?.body).not.toContain('xxxxxxxxxx');
  });
  it('a model slower than AI_SUMMARY_TIMEOUT_MS: the run goes on with the deterministic one, the late paragraph is cached', async () => {
    w = await startSummaryWorld({ AI_SUMMARY_TIMEOUT_MS: '500', AI_ATTEMPT_TIMEOUT_MS: '10000' });
    w.ai.answer('openai', { text: JSON.stringify({ summary: MODEL_PARAGRAPH }) });
    w.ai.fault('openai', { delayMs: 2_000 });
    const link = await w.pullRequestLink();
    w.editDesign((d) => {
      component(d, 'persistence').version = '2.0.0';
    });
    const op = await w.sync(link.id);
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    expect(op.summary).toMatchObject({ source: 'deterministic', reason: 'timed-out' });
    expect(w.pull()?.body).toContain('built from the list of changes below');
    // The answer arrives after the run: it is kept, and the same proposal later uses it.
    await expect
      .poll(() => w.bridge.ctx.state.query(COLLECTIONS.changeSummaries), { timeout: 10_000 })
      .toHaveLength(1);
    w.editDesign(() => undefined);
    const again = await w.sync(link.id);
    expect(again.summary).toMatchObject({ text: MODEL_PARAGRAPH, source: 'model', reason: 'cached' });
    expect(w.modelCalls()).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { BRIDGE_COMMIT_TRAILER, hasBridgeTrailer, isOwnCommitPush } from '../../shared/ingress/index.ts';

const own = `Sync design → definitions\n\nUpdated 2 services.\n\n${BRIDGE_COMMIT_TRAILER}: op_123`;

describe('hasBridgeTrailer', () => {
  it.each([
    [own, true],
    [`Subject\n\n${BRIDGE_COMMIT_TRAILER}: op_1\nSigned-off-by: A <a@example.com>`, true],
    [`Subject\r\n\r\nbridge-sync: op_1\r\n`, true],
    ['Just a human commit', false],
    [`Subject\n\n${BRIDGE_COMMIT_TRAILER}: op_1\n\nA later paragraph quoting nothing`, false],
    [`Subject\n\n${BRIDGE_COMMIT_TRAILER}:   `, false],
    [`Mentions ${BRIDGE_COMMIT_TRAILER}: op_1 inline`, false],
  ])('%j → %s', (message, expected) => {
    expect(hasBridgeTrailer(message)).toBe(expected);
  });
});

describe('isOwnCommitPush', () => {
  const commit = (message: string) => ({ id: 'x', message });
  it.each([
    ['all commits ours', { commits: [commit(own), commit(own)] }, true],
    ['one human commit among ours', { commits: [commit(own), commit('human')] }, false],
    ['no commits, own head commit', { commits: [], head_commit: commit(own) }, true],
    ['no commits, human head commit', { commits: [], head_commit: commit('human') }, false],
    ['no commits at all (branch deletion)', { commits: [], head_commit: null }, false],
    ['commit without message', { commits: [{ id: 'x' }] }, false],
  ])('%s', (_name, payload, expected) => {
    expect(isOwnCommitPush(payload)).toBe(expected);
  });
});

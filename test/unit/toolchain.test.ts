import { readFileSync } from 'node:fs';
import { getAvailableTranspilers } from 'dependency-cruiser';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  dev?: boolean;
  engines?: { node?: string };
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};

describe('toolchain', () => {
  it('every locked package accepts the pinned Node (node@24), so no upgrade pulls in a Node it cannot run on', () => {
    const node = lock.packages['node_modules/node']?.version;
    expect(node).toMatch(/^24\./);
    const refusing = Object.entries(lock.packages)
      .filter(([name, pkg]) => name !== '' && pkg.engines?.node !== undefined)
      .filter(([, pkg]) => !semver.satisfies(node as string, pkg.engines?.node as string))
      .map(([name, pkg]) => `${name} wants node ${pkg.engines?.node}`);
    expect(refusing).toEqual([]);
  });

  it('the layer rules can read TypeScript: the installed typescript is one dependency-cruiser supports', () => {
    // dependency-cruiser parses .ts through the installed compiler and only within its supported range;
    // typescript@7 (the native compiler) is outside it, so the typescript devDependency stays on 6.
    const ts = getAvailableTranspilers().find((t) => t.name === 'typescript');
    expect(ts?.available).toBe(true);
    const installed = ts?.currentVersion.replace(/^typescript@/, '') ?? '';
    expect(semver.satisfies(installed, ts?.version ?? '')).toBe(true);
  });
});

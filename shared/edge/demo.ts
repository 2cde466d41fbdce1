import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Config } from '../config/index.ts';
import { createLink } from '../connections/index.ts';
import type { AppContext } from '../context/index.ts';
import {
  ADMIN_TENANT,
  definitionPath,
  exampleDesignExport,
  exampleImplementationFiles,
  exampleServices,
  renderDefinitionFile,
} from '../domain/index.ts';
import { createLocalGitRepoProvider } from '../providers/index.ts';
import { allLinks, type Link } from '../records/index.ts';

const run = promisify(execFile);

/** The demo runs when asked to, or by default when no GitHub or Google credentials are configured. */
export function wantsDemo(config: Config): boolean {
  if (config.BRIDGE_DEMO !== undefined) return config.BRIDGE_DEMO;
  return (
    !config.GITHUB_TOKEN &&
    !config.GITHUB_APP_ID &&
    !config.GOOGLE_ACCESS_TOKEN &&
    !config.GOOGLE_APPLICATION_CREDENTIALS
  );
}

/**
 * Seeds a local bare git repository and a local design file from the original spec's example
 * architecture, links them and queues the first sync. The two sides differ on purpose: the design
 * adds Finance Sync, the definitions carry a newer Application Core version, so the first sync writes
 * both ways. Does nothing when the demo link already exists.
 */
export async function seedDemo(ctx: AppContext): Promise<Link | undefined> {
  const dir = resolve(ctx.config.BRIDGE_DATA_DIR, 'demo');
  const repoPath = join(dir, 'architecture.git');
  const designPath = join(dir, 'design.json');
  const repoUrl = pathToFileURL(repoPath).href;
  const existing = (await allLinks(ctx.state)).find((l) => l.data.repo === repoUrl);
  if (existing) return undefined;

  await mkdir(dir, { recursive: true });
  if (!existsSync(repoPath)) {
    await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', repoPath], {
      env: { PATH: process.env.PATH ?? '' },
    });
    const services = exampleServices().filter((s) => s.id !== 'finance-sync');
    const definitions = services.map((s) => (s.id === 'core' ? { ...s, version: '2.1.0' } : s));
    const provider = createLocalGitRepoProvider({ path: repoPath });
    await provider.commit({
      branch: 'main',
      expectedHeadSha: null,
      message: 'Seed the demo architecture\n',
      changes: [
        ...exampleImplementationFiles(),
        ...definitions.map((s) => ({ path: definitionPath(s.id), content: renderDefinitionFile(s) })),
        { path: 'architecture/README.md', content: 'Unmanaged: the bridge never touches this file.\n' },
      ],
    });
  }
  if (!existsSync(designPath))
    await writeFile(designPath, `${JSON.stringify(exampleDesignExport(), null, 2)}\n`);

  const { link } = await createLink(
    ctx,
    {
      tenant: ADMIN_TENANT,
      repo: repoUrl,
      branch: 'main',
      design: pathToFileURL(designPath).href,
      policy: { writes: 'direct' },
    },
    'demo',
  );
  return link;
}

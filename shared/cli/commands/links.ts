import { EXIT } from '../api-client.ts';
import { listFlag, policyPairs, stringFlag, UsageError } from '../args.ts';
import { type Command, enc, need, type Page, print } from '../command.ts';
import { table } from '../format.ts';

type LinkBody = Record<string, unknown> & {
  id?: string;
  repo?: string;
  branch?: string;
  design?: string;
  webhook?: { message?: string; state?: string };
};

const linkAdd: Command = {
  options: {
    repo: { type: 'string' },
    design: { type: 'string' },
    branch: { type: 'string' },
    policy: { type: 'string', multiple: true },
    direct: { type: 'boolean' },
  },
  args: ['[repo]', '[design]'],
  async run(args, io) {
    const repo = stringFlag(args, 'repo') ?? need(args, 2, '--repo <url>');
    const design = stringFlag(args, 'design') ?? need(args, 3, '--design <url>');
    const policy = {
      ...policyPairs(listFlag(args, 'policy')),
      ...(args.flags.direct ? { writes: 'direct' } : {}),
    };
    const link = await io.api.request<LinkBody>('POST', '/api/v1/links', {
      repo,
      design,
      branch: stringFlag(args, 'branch'),
      policy: Object.keys(policy).length > 0 ? policy : undefined,
    });
    print(io, args, link, () => {
      // Only what needs the user: a webhook to add by hand, or one that failed for now.
      const state = link.webhook?.state;
      const hook = state === 'manual' || state === 'failed' ? `webhook: ${link.webhook?.message}\n` : '';
      return `created link ${link.id} (${link.repo}@${link.branch} ⇄ ${link.design})\n${hook}`;
    });
    return EXIT.ok;
  },
};

const linkSet: Command = {
  options: {
    policy: { type: 'string', multiple: true },
    branch: { type: 'string' },
    mode: { type: 'string' },
  },
  args: ['<link>'],
  async run(args, io) {
    const id = need(args, 2, 'link id');
    const policy = policyPairs(listFlag(args, 'policy'));
    const branch = stringFlag(args, 'branch');
    const mode = stringFlag(args, 'mode');
    if (!policy && branch === undefined && mode === undefined) {
      throw new UsageError('say what to change: --policy name=value, --branch B or --mode sync|report-only');
    }
    const link = await io.api.request<
      LinkBody & { changes?: Record<string, { from: unknown; to: unknown }> }
    >('PATCH', `/api/v1/links/${enc(id)}`, { policy, branch, mode });
    print(io, args, link, () => {
      const changes = Object.entries(link.changes ?? {});
      if (changes.length === 0) return `link ${id}: nothing changed (it already had those settings)\n`;
      const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
      return `updated link ${id}:\n${changes.map(([k, c]) => `  ${k}: ${show(c.from)} → ${show(c.to)}`).join('\n')}\n`;
    });
    return EXIT.ok;
  },
};

const linkList: Command = {
  options: {},
  args: [],
  async run(args, io) {
    const page = await io.api.request<Page>('GET', '/api/v1/links?pageSize=100');
    print(io, args, page, () =>
      table(page.items, ['id', 'status', 'repo', 'branch', 'design', 'openConflicts']),
    );
    return EXIT.ok;
  },
};

const linkShow: Command = {
  options: {},
  args: ['<link>'],
  async run(args, io) {
    const link = await io.api.request<Record<string, unknown>>(
      'GET',
      `/api/v1/links/${enc(need(args, 2, 'link id'))}`,
    );
    print(
      io,
      args,
      link,
      () =>
        `${Object.entries(link)
          .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
          .join('\n')}\n`,
    );
    return EXIT.ok;
  },
};

const linkRm: Command = {
  options: {},
  args: ['<link>'],
  async run(args, io) {
    const id = need(args, 2, 'link id');
    await io.api.request('DELETE', `/api/v1/links/${enc(id)}`);
    print(io, args, { deleted: id }, () => `deleted link ${id}\n`);
    return EXIT.ok;
  },
};

export const LINK_COMMANDS: Record<string, Command> = {
  'link add': linkAdd,
  'link set': linkSet,
  'link list': linkList,
  'link ls': linkList,
  'link show': linkShow,
  'link rm': linkRm,
};

export { linkList };

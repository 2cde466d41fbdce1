import { EXIT } from '../api-client.ts';
import { listFlag, stringFlag, UsageError } from '../args.ts';
import { type Command, enc, need, type Page, print } from '../command.ts';
import { table } from '../format.ts';

const BASE = '/api/v1/notifications/subscriptions';
const COLUMNS = ['id', 'channel', 'label', 'linkId', 'triggers', 'lastDelivery'];

/** Which channel the options name: exactly one of --slack, --webhook, --github-issue. */
function channelOf(args: Parameters<Command['run']>[0]): Record<string, unknown> {
  const slack = stringFlag(args, 'slack');
  const webhook = stringFlag(args, 'webhook');
  const issue = stringFlag(args, 'github-issue');
  const given = [slack, webhook, issue].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw new UsageError('name one channel: --slack URL, --webhook URL or --github-issue NUMBER');
  if (issue !== undefined) {
    if (!/^[1-9][0-9]*$/.test(issue)) throw new UsageError('--github-issue takes an issue number');
    return { channel: 'github-comment', issue: Number(issue) };
  }
  if (slack !== undefined) return { channel: 'slack', url: slack };
  return { channel: 'webhook', url: webhook, secret: stringFlag(args, 'secret') };
}

/** `bridge notify [list | add … | rm <id> | test <id>]`: the tenant's notification subscriptions. */
const notifyCommand: Command = {
  options: {
    slack: { type: 'string' },
    webhook: { type: 'string' },
    secret: { type: 'string' },
    'github-issue': { type: 'string' },
    link: { type: 'string' },
    trigger: { type: 'string', multiple: true },
  },
  args: ['[list | add | rm | test]', '[id]'],
  async run(args, io) {
    const sub = args.positionals[1] ?? 'list';
    if (sub === 'add') {
      const triggers = listFlag(args, 'trigger');
      const created = await io.api.request<Record<string, unknown>>('POST', BASE, {
        ...channelOf(args),
        linkId: stringFlag(args, 'link'),
        ...(triggers.length > 0 ? { triggers } : {}),
      });
      print(io, args, created, () => {
        const lines = [`subscription ${created.id}: ${created.channel} ${created.label}\n`];
        if (created.secret)
          lines.push(`signing key (shown once; verify X-Bridge-Signature-256 with it): ${created.secret}\n`);
        return lines.join('');
      });
      return EXIT.ok;
    }
    if (sub === 'rm' || sub === 'test') {
      const id = need(args, 2, 'subscription id');
      if (sub === 'rm') {
        await io.api.request('DELETE', `${BASE}/${enc(id)}`);
        print(io, args, { deleted: id }, () => `deleted ${id}\n`);
      } else {
        const queued = await io.api.request<Record<string, unknown>>('POST', `${BASE}/${enc(id)}/test`);
        print(io, args, queued, () => `test notification queued (${queued.messageId})\n`);
      }
      return EXIT.ok;
    }
    if (sub !== 'list') throw new UsageError(`unknown notify command "${sub}"`);
    const page = await io.api.request<Page>('GET', BASE);
    const rows = page.items.map((s) => ({
      ...s,
      triggers: (s.triggers as string[]).join(','),
      lastDelivery: s.lastDelivery ? JSON.stringify(s.lastDelivery) : '',
    }));
    print(io, args, page, () => table(rows, COLUMNS));
    return EXIT.ok;
  },
};

export const NOTIFY_COMMANDS: Record<string, Command> = { notify: notifyCommand };

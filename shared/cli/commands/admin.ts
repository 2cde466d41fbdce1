import { EXIT } from '../api-client.ts';
import { stringFlag, UsageError } from '../args.ts';
import { type Command, enc, need, type Page, print } from '../command.ts';
import { table } from '../format.ts';

const DELIVERY_COLUMNS = [
  'deliveryId',
  'event',
  'action',
  'outcome',
  'timesReceived',
  'firstSeen',
  'lastSeen',
];

/** One delivery by id, or the latest ones (`--outcome received`: those never published). */
const deliveries: Command = {
  options: { outcome: { type: 'string' } },
  args: ['[delivery]'],
  async run(args, io) {
    const id = args.positionals[1];
    if (id === undefined) {
      const outcome = stringFlag(args, 'outcome');
      const page = await io.api.request<Page>(
        'GET',
        `/api/v1/deliveries?pageSize=100${outcome ? `&outcome=${enc(outcome)}` : ''}`,
      );
      print(io, args, page, () => table(page.items, DELIVERY_COLUMNS));
      return EXIT.ok;
    }
    if (stringFlag(args, 'outcome') !== undefined)
      throw new UsageError('--outcome lists deliveries; leave out the id');
    const d = await io.api.request<Record<string, unknown>>('GET', `/api/v1/deliveries/${enc(id)}`);
    print(io, args, d, () => table([d], DELIVERY_COLUMNS));
    return EXIT.ok;
  },
};

const deadLetters: Command = {
  options: {},
  args: ['[list | replay]', '[id]'],
  async run(args, io) {
    const sub = args.positionals[1] ?? 'list';
    if (sub !== 'list' && sub !== 'replay') throw new UsageError(`unknown dead-letters command "${sub}"`);
    if (sub === 'replay') {
      const id = need(args, 2, 'dead letter id');
      await io.api.request('POST', `/api/v1/dead-letters/${enc(id)}/replay`);
      print(io, args, { replayed: id }, () => `replayed ${id}\n`);
      return EXIT.ok;
    }
    const page = await io.api.request<Page>('GET', '/api/v1/dead-letters?pageSize=100');
    print(io, args, page, () => table(page.items, ['id', 'topic', 'attempts', 'deadAt', 'lastError']));
    return EXIT.ok;
  },
};

const keys: Command = {
  options: { tenant: { type: 'string' }, name: { type: 'string' }, tier: { type: 'string' } },
  args: ['[list | create | revoke <id>]', '[tenant | id]'],
  async run(args, io) {
    const sub = args.positionals[1] ?? 'list';
    if (sub === 'create') {
      const tenant = stringFlag(args, 'tenant') ?? need(args, 2, '--tenant <tenant>');
      const key = await io.api.request<Record<string, unknown>>('POST', '/api/v1/keys', {
        tenant,
        name: stringFlag(args, 'name'),
        tier: stringFlag(args, 'tier'),
      });
      print(
        io,
        args,
        key,
        () => `created key ${key.id} for tenant ${key.tenant}\n${key.key}\n(shown once: store it now)\n`,
      );
      return EXIT.ok;
    }
    if (sub === 'revoke' || sub === 'rm') {
      const id = need(args, 2, 'key id');
      await io.api.request('DELETE', `/api/v1/keys/${enc(id)}`);
      print(io, args, { revoked: id }, () => `revoked key ${id}\n`);
      return EXIT.ok;
    }
    if (sub !== 'list') throw new UsageError(`unknown keys command "${sub}"`);
    const page = await io.api.request<Page>('GET', '/api/v1/keys');
    print(io, args, page, () =>
      table(page.items, ['id', 'tenant', 'tier', 'name', 'createdAt', 'revokedAt']),
    );
    return EXIT.ok;
  },
};

export const ADMIN_COMMANDS: Record<string, Command> = {
  deliveries,
  'dead-letters': deadLetters,
  keys,
};

import { EXIT } from '../api-client.ts';
import { type Command, enc, need, print } from '../command.ts';
import { describeDrift, describeLink } from '../describe.ts';
import { linkList } from './links.ts';

/** `status`: the links at a glance; `status <link>`: one link as labelled lines. */
const status: Command = {
  options: {},
  args: ['[link]'],
  async run(args, io) {
    const id = args.positionals[1];
    if (!id) return linkList.run(args, io);
    if (args.flags.json) {
      const s = await io.api.request('GET', `/api/v1/sync/status?link=${enc(id)}`);
      print(io, args, s, () => '');
      return EXIT.ok;
    }
    const link = await io.api.request<Record<string, unknown>>('GET', `/api/v1/links/${enc(id)}`);
    io.out(describeLink(link));
    return EXIT.ok;
  },
};

const drift: Command = {
  options: {},
  args: ['<link>'],
  async run(args, io) {
    const report = await io.api.request<Parameters<typeof describeDrift>[0]>(
      'GET',
      `/api/v1/links/${enc(need(args, 1, 'link id'))}/drift`,
    );
    print(io, args, report, () => describeDrift(report));
    return EXIT.ok;
  },
};

export const REPORT_COMMANDS: Record<string, Command> = { status, drift };

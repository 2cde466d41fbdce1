import { EXIT } from '../api-client.ts';
import { type ParsedArgs, stringFlag, UsageError } from '../args.ts';
import { type Command, enc, print } from '../command.ts';
import { table } from '../format.ts';

interface GrantsDoc {
  tenant: string;
  grants: Array<{ kind: string; value: string; grantedBy: string; grantedAt: string }>;
}

const FLAGS = {
  owner: 'owners',
  installation: 'installations',
  'local-path': 'local-paths',
  'drive-file': 'drive-files',
  'drive-folder': 'drive-folders',
} as const;
const COLUMNS = ['tenant', 'kind', 'value', 'grantedBy', 'grantedAt'];
const USAGE =
  'one of --owner LOGIN, --installation ID, --local-path FOLDER, --drive-file FILE_ID or --drive-folder FOLDER_ID';

const rows = (docs: GrantsDoc[]) => docs.flatMap((d) => d.grants.map((g) => ({ tenant: d.tenant, ...g })));

/** The one grant named by flags: `--owner acme`, `--installation 123`, `--drive-file 1AbC`, ... */
function grantOf(args: ParsedArgs): { path: string; value: string } {
  const given = Object.entries(FLAGS)
    .map(([flag, path]) => ({ path, value: stringFlag(args, flag) }))
    .filter((g): g is { path: (typeof FLAGS)[keyof typeof FLAGS]; value: string } => g.value !== undefined);
  const [grant] = given;
  if (!grant || given.length > 1) throw new UsageError(`name the grant with ${USAGE}`);
  return grant;
}

function tenantOf(args: ParsedArgs): string {
  const tenant = args.positionals[2] ?? stringFlag(args, 'tenant');
  if (!tenant) throw new UsageError('missing tenant');
  return tenant;
}

/**
 * `bridge grants [list] | show <tenant> | add <tenant> --owner … | rm <tenant> --owner … | refused`
 * (admin): what the bridge's own credentials (GitHub, Google Drive, this machine) may reach for each tenant.
 */
const grants: Command = {
  options: {
    tenant: { type: 'string' },
    ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
  },
  args: ['[list | show | add | rm | refused]', '[tenant]'],
  run: runGrants,
};

export const GRANT_COMMANDS: Record<string, Command> = { grants };

async function runGrants(args: ParsedArgs, io: Parameters<Command['run']>[1]): Promise<number> {
  const sub = args.positionals[1] ?? 'list';
  if (sub === 'list') {
    const page = await io.api.request<{ items: GrantsDoc[] }>('GET', '/api/v1/grants');
    print(io, args, page, () => table(rows(page.items), COLUMNS));
    return EXIT.ok;
  }
  if (sub === 'show') {
    const doc = await io.api.request<GrantsDoc>('GET', `/api/v1/tenants/${enc(tenantOf(args))}/grants`);
    print(io, args, doc, () => table(rows([doc]), COLUMNS));
    return EXIT.ok;
  }
  if (sub === 'add' || sub === 'rm' || sub === 'revoke') {
    const tenant = tenantOf(args);
    const grant = grantOf(args);
    const path = `/api/v1/tenants/${enc(tenant)}/grants/${grant.path}/${enc(grant.value)}`;
    const doc = await io.api.request<GrantsDoc>(sub === 'add' ? 'PUT' : 'DELETE', path);
    const done = sub === 'add' ? 'granted' : 'revoked';
    print(
      io,
      args,
      doc,
      () => `${done} ${grant.path.replace(/s$/, '')} ${grant.value} for tenant ${tenant}\n`,
    );
    return EXIT.ok;
  }
  if (sub === 'refused') {
    const report = await io.api.request<{
      items: Array<Record<string, unknown>>;
      unchecked: Array<Record<string, unknown>>;
    }>('GET', '/api/v1/access/refused-links');
    print(io, args, report, () => {
      const unchecked = report.unchecked.length
        ? `\nnot checked now (try again):\n${table(report.unchecked, ['linkId', 'tenant', 'error'])}`
        : '';
      return `${table(report.items, ['linkId', 'tenant', 'repo', 'design', 'state', 'reason'])}${unchecked}`;
    });
    return EXIT.ok;
  }
  throw new UsageError(`unknown grants command "${sub}"`);
}

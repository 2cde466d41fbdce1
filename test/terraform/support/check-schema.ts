import type { BlockSchema } from './generated-schema.ts';
import type { HclBlock, HclItem } from './hcl-structure.ts';
import type { ProviderSchema, SchemaKind } from './provider-schema.ts';

/** Terraform's own arguments and blocks of every resource and data source, not the provider's. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'depends_on']);
const META_BLOCKS: Record<SchemaKind, Set<string>> = {
  resource: new Set(['lifecycle', 'provisioner', 'connection']),
  data: new Set(['lifecycle']),
};
/** What a `dynamic "x"` block holds besides `content`, which is checked as block `x`. */
const DYNAMIC_ARGUMENTS = new Set(['for_each', 'iterator', 'labels']);

interface Context {
  /** `file:line resource.type.name` prefix of every problem. */
  where: (line: number) => string;
  provider: string;
  problems: string[];
}

/**
 * One body against its schema: every argument known and written as `name = ...`, every block known
 * and written as `name { ... }` (or `dynamic "name"`), at most one of a block that may not repeat,
 * and every required argument and block present. `path` names the block inside the resource.
 */
function checkBody(
  items: HclItem[],
  schema: BlockSchema,
  path: string,
  context: Context,
  line: number,
  meta?: { arguments: Set<string>; blocks: Set<string> },
): void {
  const { where, provider, problems } = context;
  const at = (name: string) => (path ? `${path}.${name}` : name);
  const written = new Map<string, number>();
  const count = (name: string) => {
    written.set(name, (written.get(name) ?? 0) + 1);
    return written.get(name) ?? 0;
  };
  for (const item of items) {
    if (item.kind === 'argument') {
      const times = count(item.name);
      if (meta?.arguments.has(item.name) || schema.arguments.has(item.name)) {
        if (times === 2) problems.push(`${where(item.line)}: ${at(item.name)} is set twice`);
      } else if (schema.blocks.has(item.name)) {
        problems.push(
          `${where(item.line)}: ${at(item.name)} is a block in ${provider}: write ${item.name} { ... }, not ${item.name} = ...`,
        );
      } else problems.push(`${where(item.line)}: unknown argument ${at(item.name)} in ${provider}`);
      continue;
    }
    if (meta?.blocks.has(item.type)) continue;
    const dynamic = item.type === 'dynamic';
    const name = dynamic ? (item.labels[0] ?? '') : item.type;
    // A dynamic block may make any number of blocks, so it satisfies "required" and never "too many".
    let times = 0;
    if (!dynamic) times = count(name);
    else if (!written.has(name)) written.set(name, 0);
    const nested = schema.blocks.get(name);
    if (!nested) {
      problems.push(
        schema.arguments.has(name)
          ? `${where(item.line)}: ${at(name)} is an argument in ${provider}: write ${name} = ..., not a block`
          : `${where(item.line)}: unknown block ${at(name)} in ${provider}`,
      );
    } else if (dynamic) {
      checkDynamic(item, nested.schema, at(name), context);
    } else {
      if (!nested.many && times === 2) {
        problems.push(`${where(item.line)}: ${at(name)} may appear only once in ${provider}`);
      }
      checkBody(item.body, nested.schema, at(name), context, item.line);
    }
  }
  for (const [name, argument] of schema.arguments) {
    if (argument.required && !written.has(name)) {
      problems.push(`${where(line)}: missing required argument ${at(name)} in ${provider}`);
    }
  }
  for (const [name, block] of schema.blocks) {
    if (block.required && !written.has(name)) {
      problems.push(`${where(line)}: missing required block ${at(name)} in ${provider}`);
    }
  }
}

/** `dynamic "x" { for_each = ..., iterator = ..., content { ... } }`: `content` is a block `x`. */
function checkDynamic(block: HclBlock, schema: BlockSchema, path: string, context: Context): void {
  const contents = block.body.filter((i): i is HclBlock => i.kind === 'block' && i.type === 'content');
  for (const item of block.body) {
    const known = item.kind === 'argument' ? DYNAMIC_ARGUMENTS.has(item.name) : item.type === 'content';
    if (!known)
      context.problems.push(
        `${context.where(item.line)}: dynamic ${path} cannot hold ${item.kind === 'argument' ? item.name : item.type}`,
      );
  }
  if (!block.body.some((i) => i.kind === 'argument' && i.name === 'for_each')) {
    context.problems.push(`${context.where(block.line)}: dynamic ${path} has no for_each`);
  }
  if (contents.length !== 1) {
    context.problems.push(`${context.where(block.line)}: dynamic ${path} needs exactly one content block`);
  }
  for (const content of contents) checkBody(content.body, schema, path, context, content.line);
}

/** `rotation[0].next_rotation_time` → `["rotation", "next_rotation_time"]`; map keys and indexes dropped. */
const TRAVERSAL = /[A-Za-z_][\w-]*(?:\[[^\]]*\]|\.[A-Za-z_][\w-]*)*/g;

/** Every path in `lifecycle { ignore_changes = [...] }` names an argument, or a block and one inside it. */
function checkIgnoreChanges(resource: HclBlock, schema: BlockSchema, context: Context): void {
  for (const lifecycle of resource.body) {
    if (lifecycle.kind !== 'block' || lifecycle.type !== 'lifecycle') continue;
    for (const item of lifecycle.body) {
      if (item.kind !== 'argument' || item.name !== 'ignore_changes' || item.expression === 'all') continue;
      for (const [path] of item.expression.matchAll(TRAVERSAL)) {
        let at: BlockSchema | undefined = schema;
        for (const step of path.replace(/\[[^\]]*\]/g, '').split('.')) {
          if (at === undefined) break;
          const known = at.arguments.has(step) || at.blocks.has(step);
          if (!known) {
            context.problems.push(
              `${context.where(item.line)}: lifecycle.ignore_changes names ${path}, not an argument in ${context.provider}`,
            );
            break;
          }
          at = at.blocks.get(step)?.schema;
        }
      }
    }
  }
}

/** The provider a resource uses: its `provider` argument (`google-beta` or `google-beta.alias`), else its type's prefix. */
function providerOf(block: HclBlock, type: string): string {
  const argument = block.body.find((i) => i.kind === 'argument' && i.name === 'provider');
  const expression = argument?.kind === 'argument' ? argument.expression : undefined;
  return expression?.split('.')[0] ?? type.split('_')[0] ?? type;
}

/**
 * Every `resource` and `data` block of a provider with a schema (google, google-beta) against the
 * schema of the provider it uses, file by file. Types of other providers (time, archive) are left
 * alone. Returns the problems and the addresses checked.
 */
export function checkProviderSchema(
  files: Record<string, HclItem[]>,
  schemas: (provider: string) => ProviderSchema | undefined,
): { problems: string[]; checked: string[] } {
  const problems: string[] = [];
  const checked: string[] = [];
  for (const [file, items] of Object.entries(files)) {
    for (const block of items) {
      if (block.kind !== 'block' || (block.type !== 'resource' && block.type !== 'data')) continue;
      const kind: SchemaKind = block.type;
      const [type = '', name = ''] = block.labels;
      const provider = providerOf(block, type);
      const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
      const where = (line: number) => `${file}:${line} ${address}`;
      if (!type.startsWith('google_') && !provider.startsWith('google')) continue;
      checked.push(address);
      const found = schemas(provider);
      if (!found) {
        problems.push(`${where(block.line)}: no schema for provider ${provider}`);
        continue;
      }
      const label = `${found.source} ${found.version}`;
      const schema = found.lookup(kind, type);
      if (!schema) {
        problems.push(
          `${where(block.line)}: ${label} has no ${kind === 'data' ? 'data source' : 'resource'} ${type}`,
        );
        continue;
      }
      const meta = { arguments: META_ARGUMENTS, blocks: META_BLOCKS[kind] };
      const context = { where, provider: label, problems };
      checkBody(block.body, schema, '', context, block.line, meta);
      checkIgnoreChanges(block, schema, context);
    }
  }
  return { problems, checked };
}

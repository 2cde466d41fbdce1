import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type BlockSchema, readGeneratedSchema } from './generated-schema.ts';

const require = createRequire(import.meta.url);

/** Terraform provider local name → the package.json of the prebuilt cdktf package generated from its schema. */
const PROVIDER_PACKAGES: Record<string, string> = {
  google: require.resolve('@cdktf/provider-google/package.json'),
  'google-beta': require.resolve('@cdktf/provider-google-beta/package.json'),
};

/** The providers whose schema the check knows. */
export const SCHEMA_PROVIDERS = Object.keys(PROVIDER_PACKAGES);

export type SchemaKind = 'resource' | 'data';

export interface ProviderSchema {
  /** e.g. `hashicorp/google` */
  source: string;
  /** The provider version the package was generated from, e.g. `6.50.0`. */
  version: string;
  /** The schema of a resource or data source type, or undefined when the provider has no such type. */
  lookup(kind: SchemaKind, type: string): BlockSchema | undefined;
}

/**
 * cdktf names a type's module after it: `google_pubsub_topic` is `lib/pubsub-topic` in the google
 * package and `lib/google-pubsub-topic` in google-beta; data sources are `lib/data-google-...`.
 * The module's tfResourceType must name the type, so a naming clash cannot pass for it.
 */
function moduleCandidates(kind: SchemaKind, type: string): string[] {
  const kebab = type.replaceAll('_', '-');
  if (kind === 'data') return [`data-${kebab}`];
  return [kebab.replace(/^google-/, ''), kebab];
}

const loaded = new Map<string, ProviderSchema | undefined>();

/** The schema of a provider by its local name (`google`, `google-beta`), read once; undefined for others. */
export function providerSchema(provider: string): ProviderSchema | undefined {
  if (!loaded.has(provider)) loaded.set(provider, load(provider));
  return loaded.get(provider);
}

function load(provider: string): ProviderSchema | undefined {
  const packageJson = PROVIDER_PACKAGES[provider];
  if (packageJson === undefined) return undefined;
  const root = dirname(packageJson);
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    name: string;
    cdktf?: { provider?: { name?: string; version?: string } };
  };
  const generatedFrom = manifest.cdktf?.provider;
  if (!generatedFrom?.name || !generatedFrom.version) {
    throw new Error(`${manifest.name}: no cdktf.provider in package.json`);
  }
  const cache = new Map<string, BlockSchema | undefined>();
  const read = (kind: SchemaKind, type: string): BlockSchema | undefined => {
    for (const candidate of moduleCandidates(kind, type)) {
      const dir = join(root, 'lib', candidate);
      if (!existsSync(join(dir, 'index.js'))) continue;
      const generated = readGeneratedSchema(
        readFileSync(join(dir, 'index.js'), 'utf8'),
        readFileSync(join(dir, 'index.d.ts'), 'utf8'),
      );
      if (generated.type === type) return generated.schema;
    }
    return undefined;
  };
  return {
    source: generatedFrom.name.replace(/^registry\.terraform\.io\//, ''),
    version: generatedFrom.version,
    lookup(kind, type) {
      const key = `${kind} ${type}`;
      if (!cache.has(key)) cache.set(key, read(kind, type));
      return cache.get(key);
    },
  };
}

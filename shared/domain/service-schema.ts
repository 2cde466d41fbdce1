import semver from 'semver';
import { z } from 'zod';
import { normalizeRepoPath } from './repo-path.ts';
import { FORBIDDEN_KEYS } from './safe-input.ts';
import { MAX_SERVICE_ID_LENGTH, SERVICE_ID_PATTERN } from './slugify.ts';

export const SERVICE_STATUSES = ['active', 'inactive', 'deprecated'] as const;

export const ServiceId = z
  .string()
  .max(MAX_SERVICE_ID_LENGTH)
  .regex(SERVICE_ID_PATTERN, { error: 'must be a lowercase kebab-case slug such as "finance-sync"' })
  .describe('Stable service id (lowercase kebab-case); also the definition file name.');

const SemverString = z.string().refine((v) => semver.valid(v) === v, {
  error: 'must be a semver version such as 1.2.0',
});

const RepoPath = z
  .string()
  .superRefine((value, ctx) => {
    const result = normalizeRepoPath(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: `path ${result.reason}` });
  })
  .overwrite((value) => {
    const result = normalizeRepoPath(value);
    return result.ok ? result.path : value;
  })
  .describe('Code path inside the repository, e.g. services/auth.');

const DocumentationUrl = z
  .string()
  .max(2000)
  .refine((v) => !/^[a-z][a-z0-9+.-]*:/i.test(v) || /^https?:\/\//i.test(v), {
    error: 'must be an http(s) URL or a path in the repository',
  });

const ShortText = (max: number) => z.string().trim().min(1).max(max);

/**
 * A service of the architecture, the single source of the type. Unknown fields are kept (the schema
 * is loose) so a field added by the design tool or by hand survives every round trip.
 */
export const ServiceDefinition = z
  .looseObject({
    id: ServiceId,
    name: ShortText(200),
    layer: ShortText(200)
      .optional()
      .describe('Architecture layer / AI Studio component, e.g. "Persistence".'),
    version: SemverString.optional(),
    status: z.enum(SERVICE_STATUSES).optional(),
    technologies: z.array(ShortText(100)).max(100).optional(),
    path: RepoPath.optional(),
    dependencies: z.array(ServiceId).max(500).optional(),
    documentationUrl: DocumentationUrl.optional(),
    syncTimestamp: z.string().max(64).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((service, ctx) => {
    for (const key of Object.keys(service)) {
      if (FORBIDDEN_KEYS.has(key))
        ctx.addIssue({ code: 'custom', path: [key], message: 'key is not allowed' });
    }
  });

export type ServiceDefinition = z.infer<typeof ServiceDefinition>;

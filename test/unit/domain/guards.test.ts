import { describe, expect, it } from 'vitest';
import { checkSyncSafety, mergeArchitectures, type ServiceDefinition } from '../../../shared/domain/index.ts';
import { aPolicy, aService } from './builders.ts';

const services = (n: number): ServiceDefinition[] =>
  Array.from({ length: n }, (_, i) => aService({ id: `s${i}`, name: `S${i}` }));

function verdict(input: {
  base: ServiceDefinition[];
  design: ServiceDefinition[] | { unreadable: string };
  definitions: ServiceDefinition[];
  policy?: Parameters<typeof aPolicy>[0];
  confirm?: boolean;
  decided?: string[];
}) {
  const policy = aPolicy(input.policy);
  const design = Array.isArray(input.design)
    ? { ok: true as const, services: input.design }
    : { ok: false as const, reason: input.design.unreadable };
  const merge = Array.isArray(input.design)
    ? mergeArchitectures({ base: input.base, design: input.design, definitions: input.definitions, policy })
    : undefined;
  return checkSyncSafety({
    base: input.base,
    design,
    definitions: input.definitions,
    ...(merge ? { merge } : {}),
    policy,
    confirmDeletions: input.confirm ?? false,
    ...(input.decided ? { decided: input.decided } : {}),
  });
}

describe('checkSyncSafety', () => {
  it.each([
    {
      name: 'an ordinary sync',
      base: services(4),
      design: services(4),
      definitions: services(3),
      action: 'write',
      codes: [],
    },
    {
      name: 'first sync into an empty design',
      base: [],
      design: [],
      definitions: services(4),
      action: 'write',
      codes: [],
    },
    {
      name: 'first sync into empty definitions',
      base: [],
      design: services(4),
      definitions: [],
      action: 'write',
      codes: [],
    },
    {
      name: 'an unreadable design',
      base: services(4),
      design: { unreadable: 'not valid JSON' },
      definitions: services(4),
      action: 'blocked',
      codes: ['design-unreadable'],
    },
    {
      name: 'an emptied design',
      base: services(4),
      design: [],
      definitions: services(4),
      action: 'blocked',
      codes: ['design-empty', 'too-many-deletions'],
      policy: { onRemoval: 'propagate' },
    },
    {
      name: 'an emptied design under manual removal',
      base: services(4),
      design: [],
      definitions: services(4),
      action: 'blocked',
      codes: ['design-empty'],
    },
    {
      name: 'emptied definitions',
      base: services(4),
      design: services(4),
      definitions: [],
      action: 'blocked',
      codes: ['definitions-empty', 'too-many-deletions'],
      policy: { onRemoval: 'propagate' },
    },
    {
      name: '3 of 4 deleted',
      base: services(4),
      design: services(1),
      definitions: services(4),
      action: 'blocked',
      codes: ['too-many-deletions'],
      policy: { onRemoval: 'propagate' },
    },
    {
      name: '2 of 4 deleted (at the limit)',
      base: services(4),
      design: services(2),
      definitions: services(4),
      action: 'write',
      codes: [],
      policy: { onRemoval: 'propagate' },
    },
    {
      name: '2 of 4 deleted, limit 25%',
      base: services(4),
      design: services(2),
      definitions: services(4),
      action: 'blocked',
      codes: ['too-many-deletions'],
      policy: { onRemoval: 'propagate', maxDeletePercent: 25 },
    },
    {
      name: '3 of 4 deleted, confirmed',
      base: services(4),
      design: services(1),
      definitions: services(4),
      action: 'write',
      codes: [],
      policy: { onRemoval: 'propagate' },
      confirm: true,
    },
    {
      name: '3 of 4 dropped from the design under manual removal (a suspect export)',
      base: services(4),
      design: services(1),
      definitions: services(4),
      action: 'blocked',
      codes: ['suspect-removals'],
    },
    {
      name: '3 of 4 dropped from the definitions under manual removal',
      base: services(4),
      design: services(4),
      definitions: services(1),
      action: 'blocked',
      codes: ['suspect-removals'],
    },
    {
      name: '2 of 4 dropped under manual removal (at the limit)',
      base: services(4),
      design: services(2),
      definitions: services(4),
      action: 'write',
      codes: [],
    },
    {
      name: '3 of 4 dropped under manual removal, confirmed',
      base: services(4),
      design: services(1),
      definitions: services(4),
      action: 'write',
      codes: [],
      confirm: true,
    },
    {
      name: '3 of 4 deleted by a person’s decisions',
      base: services(4),
      design: services(1),
      definitions: services(4),
      action: 'write',
      codes: [],
      policy: { onRemoval: 'propagate' },
      decided: ['s1', 's2', 's3'],
    },
    {
      name: 'report-only mode',
      base: services(4),
      design: services(4),
      definitions: services(3),
      action: 'report-only',
      codes: [],
      policy: { mode: 'report-only' },
    },
  ] as const)('$name → $action', ({ action, codes, ...input }) => {
    const result = verdict(input as Parameters<typeof verdict>[0]);
    expect(result.action).toBe(action);
    expect(result.findings.map((f) => f.code)).toEqual(codes);
  });

  it('asks for confirmation only for the deletion limit, naming the services', () => {
    const result = verdict({
      base: services(4),
      design: services(1),
      definitions: services(4),
      policy: { onRemoval: 'propagate' },
    });
    expect(result.findings).toEqual([
      {
        code: 'too-many-deletions',
        reason: expect.stringMatching(
          /delete 3 of 4 services from the definitions \(75%, limit 50%\): s1, s2, s3; confirm/,
        ),
        needsConfirmation: true,
      },
    ]);
  });

  it('holds a suspect export with one message that says what to do, naming at most 10 services', () => {
    const result = verdict({ base: services(800), design: services(200), definitions: services(800) });
    expect(result.action).toBe('blocked');
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ code: 'suspect-removals', needsConfirmation: true });
    expect(finding?.reason).toMatch(
      /^the design dropped 600 of the 800 services \(75%, limit 50%\): s200, s201, .*, s209 and 590 more; held as a suspect export, nothing was written/,
    );
    expect(finding?.reason).toMatch(/maxDeletePercent/);
    expect(finding?.reason.length).toBeLessThan(600);
  });

  it('names at most 10 services when a sync would delete many', () => {
    const result = verdict({
      base: services(100),
      design: services(10),
      definitions: services(100),
      policy: { onRemoval: 'propagate' },
    });
    expect(result.findings[0]?.reason).toMatch(/s10, s11, .*, s19 and 80 more; confirm/);
  });

  it('blocks while definition files are unreadable', () => {
    const result = checkSyncSafety({
      base: [],
      design: { ok: true, services: [] },
      definitions: [],
      invalidDefinitions: [{ path: 'architecture/definitions/x.yaml', reason: 'not valid YAML', issues: [] }],
      policy: aPolicy(),
    });
    expect(result).toEqual({
      action: 'blocked',
      findings: [
        expect.objectContaining({
          code: 'definitions-unreadable',
          needsConfirmation: false,
          reason: expect.stringContaining('x.yaml'),
        }),
      ],
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  LinkPolicy,
  parseService,
  ServiceDefinition,
  slugify,
} from '../../../shared/domain/index.ts';

describe('slugify', () => {
  it.each([
    ['Identity & Security', 'identity-security'],
    ['Application Core', 'application-core'],
    ['  Finance   Sync  ', 'finance-sync'],
    ['Café Über-Service', 'cafe-uber-service'],
    ['API v2.0 (beta)', 'api-v2-0-beta'],
  ])('%j → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('gives names without ASCII letters a stable hash-based id', () => {
    expect(slugify('日本語')).toMatch(/^service-[0-9a-f]{8}$/);
    expect(slugify('日本語')).toBe(slugify('日本語'));
    expect(slugify('日本語')).not.toBe(slugify('---'));
  });

  it('caps long names at a readable length without a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(79)} b`);
    expect(slug).toBe('a'.repeat(79));
  });
});

describe('parseService', () => {
  it('derives the id from the name, keeps unknown fields, normalizes a spec-style path', () => {
    expect(
      parseService({
        name: 'Finance Sync',
        github_path: '/services/finance-sync/app',
        x_ui: { pinned: true },
      }),
    ).toEqual({
      ok: true,
      service: {
        id: 'finance-sync',
        name: 'Finance Sync',
        path: 'services/finance-sync/app',
        x_ui: { pinned: true },
      },
    });
  });

  it.each([
    [{ id: 'Core_Service', name: 'A' }, 'id'],
    [{ name: '' }, 'name'],
    [{ name: 'A', version: 'v1.0.0' }, 'version'],
    [{ name: 'A', version: '1.0' }, 'version'],
    [{ name: 'A', status: 'retired' }, 'status'],
    [{ name: 'A', technologies: 'Python' }, 'technologies'],
    [{ name: 'A', metadata: [1] }, 'metadata'],
    [{ version: '1.0.0' }, 'id'],
  ])('%j is refused on %s', (input, field) => {
    const parsed = parseService(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.field)).toContain(field);
  });

  it('the schema alone (for the API) checks an already-canonical service', () => {
    expect(ServiceDefinition.safeParse({ id: 'a', name: 'A', path: '/etc' }).success).toBe(false);
    expect(ServiceDefinition.parse({ id: 'a', name: 'A', path: '/services/a/' }).path).toBe('services/a');
  });
});

describe('LinkPolicy', () => {
  it('applies the spec’s defaults', () => {
    expect(DEFAULT_POLICY).toEqual({
      writes: 'pull-request',
      onConflict: 'design-wins',
      onRemoval: 'manual',
      versions: 'higher-wins',
      maxDeletePercent: 50,
      mode: 'sync',
    });
  });

  it.each([{ onConflict: 'yolo' }, { maxDeletePercent: 101 }, { unknown: true }])('refuses %j', (input) => {
    expect(LinkPolicy.safeParse(input).success).toBe(false);
  });
});

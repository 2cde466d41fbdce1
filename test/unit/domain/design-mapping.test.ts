import { describe, expect, it } from 'vitest';
import {
  exampleDesignExport,
  exampleServices,
  parseDesignText,
  parseDesignValue,
  renderDesignText,
  type ServiceDefinition,
  servicesToDesignExport,
} from '../../../shared/domain/index.ts';
import { aComponent, anExport } from './builders.ts';

function servicesOf(value: unknown): ServiceDefinition[] {
  const parsed = parseDesignValue(value);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.services;
}

const RICH_EXPORT = anExport(
  [
    aComponent({
      position: { x: 10, y: 20 },
      ai_studio_component: 'Application Core',
      sync_timestamp: '2026-01-02T00:00:00Z',
    }),
    {
      name: 'Identity & Security',
      github_path: '/services/auth/',
      documentation_url: 'https://example.com/auth',
      color: '#f00',
      version: '1.0.0',
    },
    {
      id: 'persistence',
      layer: 'Data',
      ai_studio_component: 'MongoDB node',
      path: 'services/persistence',
      name: 'Persistence',
    },
    {
      service_id: 'billing',
      id: 'billing-legacy',
      name: 'Billing',
      metadata: { owner: 'finance', tags: ['a'] },
    },
  ],
  { exported_at: '2026-01-02', viewport: { zoom: 1.5 } },
);

describe('design export ⇄ services', () => {
  it.each([
    { name: 'the example architecture', value: exampleDesignExport() },
    { name: 'snake_case, unknown fields, id spellings, spec-style paths', value: RICH_EXPORT },
    { name: 'the spec’s export without ids', value: anExport([{ name: 'Persistence', version: '1.5.0' }]) },
  ])('round-trips $name losslessly (values, key order, top level)', ({ value }) => {
    const back = servicesToDesignExport(servicesOf(value), value);
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
  });

  it('reads the example as the example services', () => {
    expect(servicesOf(exampleDesignExport())).toEqual(exampleServices());
  });

  it('maps the export’s spellings to service fields and keeps the rest', () => {
    const [core, auth, persistence, billing] = servicesOf(RICH_EXPORT);
    expect(core).toMatchObject({
      id: 'core',
      layer: 'Application Core',
      syncTimestamp: '2026-01-02T00:00:00Z',
      position: { x: 10, y: 20 },
    });
    expect(auth).toMatchObject({
      id: 'identity-security',
      path: 'services/auth',
      documentationUrl: 'https://example.com/auth',
      color: '#f00',
    });
    // Both layer and ai_studio_component: layer wins, the other stays as an extra field.
    expect(persistence).toMatchObject({ layer: 'Data', ai_studio_component: 'MongoDB node' });
    // Both id and service_id: id wins, service_id stays.
    expect(billing).toMatchObject({ id: 'billing-legacy', service_id: 'billing' });
  });

  it('changes only the edited key and keeps its position', () => {
    const services = servicesOf(RICH_EXPORT).map((s) => (s.id === 'core' ? { ...s, version: '2.1.0' } : s));
    const back = servicesToDesignExport(services, RICH_EXPORT);
    const expected = structuredClone(RICH_EXPORT);
    expected.components[0]!.version = '2.1.0';
    expect(JSON.stringify(back)).toBe(JSON.stringify(expected));
  });

  it('writes a changed path in normalized form, an unchanged one as it was', () => {
    const services = servicesOf(RICH_EXPORT).map((s) =>
      s.id === 'identity-security' ? { ...s, path: 'services/iam' } : s,
    );
    const back = servicesToDesignExport(services, RICH_EXPORT);
    expect(back.components[1]?.github_path).toBe('services/iam');
    expect(back.components[0]?.github_path).toBe('services/core');
  });

  it('appends new services with the spellings the export already uses, drops removed ones', () => {
    const template = anExport([{ id: 'a', name: 'A', path: 'services/a' }]);
    const added = {
      id: 'b',
      name: 'B',
      path: 'services/b',
      layer: 'Edge',
      documentationUrl: 'https://x.test',
    } as ServiceDefinition;
    const back = servicesToDesignExport([added], template);
    expect(back.components).toEqual([
      {
        id: 'b',
        name: 'B',
        ai_studio_component: 'Edge',
        path: 'services/b',
        documentation_url: 'https://x.test',
      },
    ]);
    expect(Object.keys(back.components[0]!)).toEqual([
      'id',
      'name',
      'ai_studio_component',
      'path',
      'documentation_url',
    ]);
  });

  it('writes the id once a component without one is renamed, so the id stays stable', () => {
    const template = anExport([{ name: 'Persistence', version: '1.5.0' }]);
    const [persistence] = servicesOf(template);
    const back = servicesToDesignExport([{ ...persistence!, name: 'Data Persistence' }], template);
    expect(back.components[0]).toEqual({
      name: 'Data Persistence',
      version: '1.5.0',
      service_id: 'persistence',
    });
    expect(servicesOf(back)[0]?.id).toBe('persistence');
  });

  it('builds a new export with the default header and the spec’s snake_case', () => {
    const back = servicesToDesignExport([{ id: 'a', name: 'A', path: 'services/a' } as ServiceDefinition]);
    expect(back).toEqual({
      source: 'Integration Bridge',
      export_format: 'architecture_definition.json',
      components: [{ service_id: 'a', name: 'A', github_path: 'services/a' }],
    });
  });

  it('renders text indented like the previous file', () => {
    const text = JSON.stringify(exampleDesignExport(), null, 4);
    expect(renderDesignText(exampleDesignExport(), text)).toBe(`${text}\n`);
    expect(renderDesignText(exampleDesignExport())).toBe(
      `${JSON.stringify(exampleDesignExport(), null, 2)}\n`,
    );
  });
});

describe('parseDesignText', () => {
  it.each([
    { text: '', ok: true, empty: true },
    { text: '   \n', ok: true, empty: true },
    { text: '{"components": []}', ok: true, empty: true },
    { text: '{"components": [', ok: false, reason: /not valid JSON/ },
    { text: '[]', ok: false, reason: /components/ },
    { text: '{"components": [{"version": "1.0.0"}]}', ok: false, reason: /invalid/ },
    { text: '{"components": [{"name": "A"}, {"name": "a"}]}', ok: false, reason: /invalid/ },
  ])('$text', ({ text, ok, empty, reason }) => {
    const parsed = parseDesignText(text);
    expect(parsed.ok).toBe(ok);
    if (parsed.ok) expect(parsed.empty).toBe(empty);
    else expect(parsed.reason).toMatch(reason!);
  });

  it('says which component and field is wrong', () => {
    const parsed = parseDesignText(
      JSON.stringify(anExport([aComponent(), aComponent({ service_id: 'x', version: 'one' })])),
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.issues).toEqual([
        { index: 1, name: 'Application Core', reason: 'version: must be a semver version such as 1.2.0' },
      ]);
  });
});

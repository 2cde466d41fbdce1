import {
  type DesignExport,
  LinkPolicy,
  type LinkPolicyInput,
  type ServiceDefinition,
  type SourceFile,
} from '../../../shared/domain/index.ts';

/** Object mothers for domain tests: valid defaults, override what the test is about. */
export function aService(
  overrides: Partial<ServiceDefinition> & Record<string, unknown> = {},
): ServiceDefinition {
  return {
    id: 'core',
    name: 'Application Core',
    layer: 'Application Core',
    version: '2.0.0',
    status: 'active',
    technologies: ['FastAPI', 'REST', 'Python'],
    path: 'services/core',
    dependencies: [],
    ...overrides,
  } as ServiceDefinition;
}

export function aComponent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service_id: 'core',
    name: 'Application Core',
    version: '2.0.0',
    status: 'active',
    technologies: ['FastAPI', 'REST', 'Python'],
    github_path: 'services/core',
    ...overrides,
  };
}

export function anExport(
  components: Array<Record<string, unknown>>,
  header: Record<string, unknown> = {},
): DesignExport {
  return {
    source: 'AI Studio Visualizer',
    export_format: 'architecture_definition.json',
    ...header,
    components,
  };
}

export function aPolicy(overrides: LinkPolicyInput = {}): LinkPolicy {
  return LinkPolicy.parse(overrides);
}

export function aFile(path: string, content: string): SourceFile {
  return { path, content };
}

/** Every combination of the policy dimensions the merge looks at. */
export function allMergePolicies(): LinkPolicy[] {
  const out: LinkPolicy[] = [];
  for (const onConflict of ['design-wins', 'definitions-wins', 'manual'] as const) {
    for (const onRemoval of ['manual', 'propagate'] as const) {
      for (const versions of ['higher-wins', 'conflict'] as const)
        out.push(aPolicy({ onConflict, onRemoval, versions }));
    }
  }
  return out;
}

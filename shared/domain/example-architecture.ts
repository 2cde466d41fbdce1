import type { DesignExport } from './design-export.ts';
import type { SourceFile } from './files.ts';
import type { ServiceDefinition } from './service-schema.ts';

/**
 * The example architecture of spec 000 (the Bakhmach Business Hub visualizer): its three layers plus
 * the Finance Sync service, with the spec's layer → path mapping. "Python" is added to the services
 * whose example implementation is Python, so the example has no drift. Fresh objects on every call.
 */
export function exampleDesignExport(): DesignExport {
  return {
    source: 'AI Studio Visualizer',
    export_format: 'architecture_definition.json',
    components: [
      component('auth', 'Identity & Security', '1.0.0', ['REST', 'OAuth 2.0', 'Python'], []),
      component('core', 'Application Core', '2.0.0', ['FastAPI', 'REST', 'Python'], ['auth', 'persistence']),
      component('persistence', 'Persistence', '1.5.0', ['MongoDB', 'PyMongo', 'SQLite', 'Python'], []),
      component(
        'finance-sync',
        'Finance Sync',
        '1.0.0',
        ['Python', 'FastAPI', 'Celery', 'SQLite'],
        ['persistence'],
        {
          github_path: 'services/finance-sync',
        },
      ),
    ],
  };
}

/** The same architecture as services (what `parseDesignValue(exampleDesignExport())` gives). */
export function exampleServices(): ServiceDefinition[] {
  return exampleDesignExport().components.map((c) => ({
    id: c.service_id as string,
    name: c.name as string,
    version: c.version as string,
    status: 'active',
    technologies: c.technologies as string[],
    path: c.github_path as string,
    layer: c.ai_studio_component as string,
    dependencies: c.dependencies as string[],
    documentationUrl: c.documentation_url as string,
  }));
}

/** Manifests of an implementation that matches the example (for demo repositories and tests). */
export function exampleImplementationFiles(): SourceFile[] {
  return [
    { path: 'services/auth/requirements.txt', content: 'authlib==1.3.1\nrequests>=2.31\n' },
    { path: 'services/core/requirements.txt', content: 'fastapi==0.115.0\nuvicorn[standard]==0.30.6\n' },
    { path: 'services/persistence/requirements.txt', content: 'pymongo==4.8.0\n' },
    { path: 'services/finance-sync/requirements.txt', content: 'fastapi==0.115.0\ncelery[redis]==5.4.0\n' },
    { path: 'services/finance-sync/Dockerfile', content: 'FROM python:3.12-slim\nCOPY app /app\n' },
  ];
}

function component(
  id: string,
  name: string,
  version: string,
  technologies: string[],
  dependencies: string[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    service_id: id,
    name,
    version,
    status: 'active',
    technologies,
    github_path: `services/${id}`,
    ai_studio_component: name,
    dependencies,
    documentation_url: `https://github.com/romanchaa997/bakhmach-business-hub/tree/main/docs/services/${id}.md`,
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import {
  detectDrift,
  detectFromManifest,
  exampleImplementationFiles,
  exampleServices,
  implementedServices,
} from '../../../shared/domain/index.ts';
import { aFile, aService } from './builders.ts';

describe('detectFromManifest', () => {
  it.each([
    {
      name: 'package.json',
      content: JSON.stringify({
        version: '1.4.0',
        dependencies: { express: '^5', mongoose: '^8' },
        devDependencies: { typescript: '^5' },
      }),
      technologies: ['Node.js', 'Express', 'Mongoose', 'MongoDB', 'TypeScript'],
      version: '1.4.0',
    },
    {
      name: 'requirements.txt',
      content:
        '# api\nFastAPI[all]>=0.110 ; python_version > "3.8"\npymongo==4.8\ncelery\nPySpark==3.5\n-r base.txt\n',
      technologies: ['Python', 'FastAPI', 'PyMongo', 'MongoDB', 'Celery', 'PySpark'],
    },
    {
      name: 'pyproject.toml',
      content:
        '[project]\nname = "core"\nversion = "2.0.0"\ndependencies = [\n  "fastapi>=0.110",\n  "redis",\n]\n',
      technologies: ['Python', 'FastAPI', 'Redis'],
      version: '2.0.0',
    },
    {
      name: 'pyproject.toml',
      content:
        '[tool.poetry]\nversion = "0.3.1"\n[tool.poetry.dependencies]\npython = "^3.12"\nflask = "^3"\n',
      technologies: ['Python', 'Flask'],
      version: '0.3.1',
    },
    {
      name: 'go.mod',
      content:
        'module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgo.mongodb.org/mongo-driver v1.16.0\n)\n',
      technologies: ['Go', 'Gin', 'MongoDB'],
    },
    {
      name: 'Cargo.toml',
      content:
        '[package]\nname = "x"\nversion = "0.9.0"\n\n[dependencies]\naxum = "0.7"\ntokio = { version = "1" }\n',
      technologies: ['Rust', 'Axum', 'Tokio'],
      version: '0.9.0',
    },
    {
      name: 'pom.xml',
      content:
        '<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>',
      technologies: ['Java', 'Spring Boot'],
    },
    { name: 'Dockerfile', content: 'FROM node:24', technologies: ['Docker'] },
    { name: 'package.json', content: '{not json', technologies: ['Node.js'] },
  ])('$name: $technologies', ({ name, content, technologies, version }) => {
    expect(detectFromManifest(name, content)).toEqual({ technologies, ...(version ? { version } : {}) });
  });
});

describe('implementedServices', () => {
  it('groups manifests directly in services/<name>/ and ignores the rest', () => {
    const implemented = implementedServices([
      aFile('services/api/package.json', '{"version": "1.0.0", "dependencies": {"express": "1"}}'),
      aFile('services/api/Dockerfile', 'FROM node'),
      aFile('services/api/src/package.json', '{"version": "9.9.9"}'),
      aFile('services/README.md', '# x'),
      aFile('services/api/notes.txt', 'x'),
    ]);
    expect(implemented).toEqual([
      {
        name: 'api',
        path: 'services/api',
        manifests: ['package.json', 'Dockerfile'],
        technologies: ['Node.js', 'Express', 'Docker'],
        version: '1.0.0',
      },
    ]);
  });
});

describe('detectDrift', () => {
  it('finds no drift in the example architecture and its implementation', () => {
    const report = detectDrift({
      design: exampleServices(),
      definitions: exampleServices(),
      manifests: exampleImplementationFiles(),
    });
    expect(report.findings).toEqual([]);
    expect(report.implemented.map((s) => s.name)).toEqual(['auth', 'core', 'finance-sync', 'persistence']);
  });

  it('reports each kind of drift', () => {
    const design = [
      aService({
        id: 'core',
        path: 'services/core/app',
        version: '2.0.0',
        technologies: ['fastapi', 'MongoDB', 'REST', 'python'],
      }),
      aService({ id: 'ledger', name: 'Ledger', path: undefined, technologies: [] }),
      aService({ id: 'old', name: 'Old', status: 'deprecated', path: 'services/old' }),
      aService({ id: 'docs', name: 'Docs', path: 'docs/api' }),
    ];
    const definitions = [{ ...design[0]!, version: '2.1.0' }, design[1]!, design[2]!, design[3]!];
    const manifests = [
      aFile('services/core/requirements.txt', 'fastapi\ncelery\n'),
      aFile('services/core/pyproject.toml', '[project]\nversion = "2.2.0"\n'),
      aFile('services/search/package.json', '{"dependencies": {"express": "1"}}'),
    ];
    const report = detectDrift({ design, definitions, manifests });
    expect(report.summary).toEqual({
      'designed-not-implemented': 1,
      'implemented-not-designed': 1,
      'technology-mismatch': 1,
      'version-mismatch': 1,
    });
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'designed-not-implemented', serviceId: 'ledger' }),
        expect.objectContaining({ kind: 'implemented-not-designed', path: 'services/search' }),
        expect.objectContaining({
          kind: 'technology-mismatch',
          serviceId: 'core',
          declaredNotDetected: ['MongoDB'],
          detectedNotDeclared: ['Celery'],
        }),
        expect.objectContaining({
          kind: 'version-mismatch',
          serviceId: 'core',
          versions: { design: '2.0.0', definitions: '2.1.0', implementation: '2.2.0' },
        }),
      ]),
    );
  });

  it('reports a design/definitions version difference even without an implementation', () => {
    const report = detectDrift({
      design: [aService({ id: 'x', version: '1.0.0' })],
      definitions: [aService({ id: 'x', version: '1.1.0' })],
      manifests: [],
    });
    expect(report.findings.map((f) => f.kind).sort()).toEqual([
      'designed-not-implemented',
      'version-mismatch',
    ]);
  });
});

/**
 * A small detector of the technologies a service uses, from its manifest files. It knows frameworks,
 * datastores and languages only (not every library), so its findings are worth comparing with what
 * the architecture declares. Pure: it reads the manifests' text, never runs anything.
 */

const LANGUAGE_BY_MANIFEST: Record<string, string[]> = {
  'package.json': ['Node.js'],
  'requirements.txt': ['Python'],
  'pyproject.toml': ['Python'],
  'setup.py': ['Python'],
  Pipfile: ['Python'],
  'go.mod': ['Go'],
  'pom.xml': ['Java'],
  'build.gradle': ['Java'],
  'build.gradle.kts': ['Kotlin'],
  'Cargo.toml': ['Rust'],
  Gemfile: ['Ruby'],
  'composer.json': ['PHP'],
  Dockerfile: ['Docker'],
};

export const MANIFEST_NAMES: ReadonlySet<string> = new Set(Object.keys(LANGUAGE_BY_MANIFEST));

/** Well-known dependencies (lowercase package names, per ecosystem) and what they stand for. */
const BY_DEPENDENCY: Record<string, string[]> = {
  // Python
  fastapi: ['FastAPI'],
  flask: ['Flask'],
  django: ['Django'],
  celery: ['Celery'],
  pymongo: ['PyMongo', 'MongoDB'],
  motor: ['MongoDB'],
  pyspark: ['PySpark'],
  sqlalchemy: ['SQLAlchemy'],
  psycopg2: ['PostgreSQL'],
  'psycopg2-binary': ['PostgreSQL'],
  psycopg: ['PostgreSQL'],
  asyncpg: ['PostgreSQL'],
  redis: ['Redis'],
  'kafka-python': ['Kafka'],
  grpcio: ['gRPC'],
  // JavaScript / TypeScript
  express: ['Express'],
  fastify: ['Fastify'],
  koa: ['Koa'],
  '@nestjs/core': ['NestJS'],
  mongodb: ['MongoDB'],
  mongoose: ['Mongoose', 'MongoDB'],
  pg: ['PostgreSQL'],
  ioredis: ['Redis'],
  kafkajs: ['Kafka'],
  react: ['React'],
  next: ['Next.js'],
  graphql: ['GraphQL'],
  '@grpc/grpc-js': ['gRPC'],
  typescript: ['TypeScript'],
  // Go modules
  'github.com/gin-gonic/gin': ['Gin'],
  'github.com/gofiber/fiber/v2': ['Fiber'],
  'github.com/labstack/echo/v4': ['Echo'],
  'go.mongodb.org/mongo-driver': ['MongoDB'],
  'google.golang.org/grpc': ['gRPC'],
  'github.com/redis/go-redis/v9': ['Redis'],
  // Rust crates
  'actix-web': ['Actix Web'],
  axum: ['Axum'],
  tokio: ['Tokio'],
  // Java artifacts
  'spring-boot-starter-web': ['Spring Boot'],
  'spring-boot-starter': ['Spring Boot'],
  'kafka-clients': ['Kafka'],
};

/** Technologies whose absence is worth reporting: what this detector can actually see. */
export const DETECTABLE: ReadonlySet<string> = new Set(
  [...Object.values(BY_DEPENDENCY).flat(), ...Object.values(LANGUAGE_BY_MANIFEST).flat()].map(techKey),
);

/** Comparison key: case and punctuation do not matter ("Node.js" = "nodejs"). */
export function techKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9+#]/g, '');
}

export interface ManifestFacts {
  technologies: string[];
  /** The version the manifest declares for the service itself, when it has one. */
  version?: string;
}

/** What one manifest file says: `name` is its base name (package.json, go.mod, ...). */
export function detectFromManifest(name: string, content: string): ManifestFacts {
  const techs = [...(LANGUAGE_BY_MANIFEST[name] ?? [])];
  const { dependencies, version } = readManifest(name, content);
  for (const dep of dependencies) techs.push(...(BY_DEPENDENCY[dep] ?? []));
  return { technologies: unique(techs), ...(version ? { version } : {}) };
}

function readManifest(name: string, content: string): { dependencies: string[]; version?: string } {
  switch (name) {
    case 'package.json':
      return readPackageJson(content);
    case 'requirements.txt':
      return { dependencies: content.split('\n').map(pythonRequirement).filter(isString) };
    case 'pyproject.toml':
      return readPyproject(content);
    case 'go.mod':
      return {
        dependencies: [...content.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+\/[^\s]+)\s+v/gim)].map(
          (m) => m[1]!.toLowerCase(),
        ),
      };
    case 'Cargo.toml':
      return {
        dependencies: tomlSectionKeys(content, /^\[(?:dev-)?dependencies\]$/),
        ...tomlVersion(content, 'package'),
      };
    case 'pom.xml':
      return {
        dependencies: [...content.matchAll(/<artifactId>\s*([^<\s]+)\s*<\/artifactId>/g)].map((m) =>
          m[1]!.toLowerCase(),
        ),
      };
    default:
      return { dependencies: [] };
  }
}

function readPackageJson(content: string): { dependencies: string[]; version?: string } {
  let pkg: unknown;
  try {
    pkg = JSON.parse(content);
  } catch {
    return { dependencies: [] };
  }
  if (typeof pkg !== 'object' || pkg === null) return { dependencies: [] };
  const p = pkg as Record<string, unknown>;
  const deps = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((k) =>
    typeof p[k] === 'object' && p[k] !== null ? Object.keys(p[k] as object) : [],
  );
  return {
    dependencies: deps.map((d) => d.toLowerCase()),
    ...(typeof p.version === 'string' ? { version: p.version } : {}),
  };
}

function readPyproject(content: string): { dependencies: string[]; version?: string } {
  const deps: string[] = [];
  // The list ends at a `]` closing its line: extras such as "psycopg[binary]" hold brackets too.
  const list = /^\s*dependencies\s*=\s*\[([\s\S]*?)\]\s*$/m.exec(content)?.[1] ?? '';
  for (const m of list.matchAll(/["']([^"']+)["']/g)) {
    const dep = pythonRequirement(m[1]!);
    if (dep) deps.push(dep);
  }
  deps.push(
    ...tomlSectionKeys(content, /^\[tool\.poetry\.(?:dev-)?dependencies\]$/).filter((d) => d !== 'python'),
  );
  return {
    dependencies: deps,
    ...(tomlVersion(content, 'project').version
      ? tomlVersion(content, 'project')
      : tomlVersion(content, 'tool.poetry')),
  };
}

/** "FastAPI[all]>=0.110 ; python_version>'3.8'" → "fastapi" (PEP 503 normalized). */
function pythonRequirement(line: string): string | undefined {
  const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line.replace(/#.*/, ''))?.[1];
  return name?.toLowerCase().replace(/[._]+/g, '-');
}

function tomlSectionKeys(content: string, header: RegExp): string[] {
  const keys: string[] = [];
  let inside = false;
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inside = header.test(line);
    else if (inside) {
      const key = /^([A-Za-z0-9_.-]+)\s*=/.exec(line)?.[1];
      if (key) keys.push(key.toLowerCase());
    }
  }
  return keys;
}

function tomlVersion(content: string, section: string): { version?: string } {
  let inside = false;
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inside = line === `[${section}]`;
    else if (inside) {
      const version = /^version\s*=\s*["']([^"']+)["']/.exec(line)?.[1];
      if (version) return { version };
    }
  }
  return {};
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(techKey(v)) && seen.add(techKey(v)));
}

function isString(v: string | undefined): v is string {
  return typeof v === 'string';
}

/**
 * Which repository files a snapshot holds: one rule for every RepoProvider (GitHub and local git),
 * so both implementations of the port read the same files.
 */
export const SERVICE_MANIFEST_NAMES: readonly string[] = [
  'package.json',
  'requirements.txt',
  'pyproject.toml',
  'go.mod',
  'Dockerfile',
  'pom.xml',
  'Cargo.toml',
  'build.gradle',
];

export function isArchitectureFile(path: string): boolean {
  return path.startsWith('architecture/');
}

/**
 * A file the bridge reads as architecture: a definition or a raw drop. One of these that is not text
 * is kept in the snapshot as unreadable (refused with the reason); other binary files are left out.
 */
export function isManagedArchitectureFile(path: string): boolean {
  return path.startsWith('architecture/definitions/') || path.startsWith('architecture/raw/');
}

/** A manifest directly inside `services/<name>/` (not deeper, not `services/` itself). */
export function isServiceManifest(path: string): boolean {
  const parts = path.split('/');
  if (parts.length !== 3 || parts[0] !== 'services') return false;
  const name = parts[2] ?? '';
  return (
    SERVICE_MANIFEST_NAMES.includes(name) || (name.endsWith('.csproj') && name.length > '.csproj'.length)
  );
}

export function isSnapshotFile(path: string): boolean {
  return isArchitectureFile(path) || isServiceManifest(path);
}

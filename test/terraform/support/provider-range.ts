import semver from 'semver';

const PART = /^\s*(~>|>=|<=|!=|=|>|<)?\s*v?(\d+(?:\.\d+){0,2})\s*$/;

/**
 * A Terraform version constraint (`>= 6.50, < 7.0`, `~> 6.50`) as a semver range. Terraform pads
 * missing parts with zeros, and `~>` lets only the right-most given part grow (`~> 6.50` is
 * `>= 6.50.0, < 7.0.0`; `~> 6.50.1` is `>= 6.50.1, < 6.51.0`).
 */
export function terraformRange(constraint: string): string {
  return constraint
    .split(',')
    .map((part) => {
      const [, operator = '=', version = ''] = PART.exec(part) ?? [];
      if (!version) throw new Error(`not a version constraint: ${JSON.stringify(part)}`);
      const parts = version.split('.').map(Number);
      const full = [...parts, 0, 0].slice(0, 3).join('.');
      if (operator === '!=') throw new Error(`!= is not supported here: ${constraint}`);
      if (operator !== '~>') return `${operator === '=' ? '' : operator}${full}`;
      if (parts.length < 2) throw new Error(`~> with a major version alone is ambiguous: ${constraint}`);
      const upper = parts.slice(0, -1);
      upper[upper.length - 1] = (upper.at(-1) ?? 0) + 1;
      return `>=${full} <${[...upper, 0, 0].slice(0, 3).join('.')}`;
    })
    .join(' ');
}

/**
 * What is wrong with a provider constraint for a module checked against one provider version: it
 * must admit that version, nothing older than its minor release (an older provider may not know an
 * argument the check accepted), and no other major version (whose schema was not checked).
 */
export function checkProviderRange(constraint: string, checked: string): string[] {
  const range = terraformRange(constraint);
  const version = semver.parse(checked);
  if (!version) throw new Error(`not a version: ${checked}`);
  const problems: string[] = [];
  if (!semver.satisfies(version, range)) problems.push(`"${constraint}" does not admit ${checked}`);
  const lowest = semver.minVersion(range);
  const floor = `${version.major}.${version.minor}.0`;
  if (lowest && semver.lt(lowest, floor)) {
    problems.push(
      `"${constraint}" admits ${lowest.version}, older than the checked ${version.major}.${version.minor}`,
    );
  }
  if (semver.intersects(range, `>=${version.major + 1}.0.0`)) {
    problems.push(`"${constraint}" admits ${version.major + 1}.x, whose schema was not checked`);
  }
  return problems;
}

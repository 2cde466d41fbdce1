import { createHash } from 'node:crypto';

export const SERVICE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SERVICE_ID_LENGTH = 100;

/**
 * A stable lowercase-kebab id from a display name: "Identity & Security" → "identity-security".
 * A name with no ASCII letters or digits gets a hash-based id so it still has a stable file name.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  if (slug) return slug;
  return `service-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

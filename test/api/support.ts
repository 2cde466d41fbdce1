import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { DesignExport, ServiceDefinition } from '../../shared/domain/index.ts';
import { definitionPath } from '../../shared/domain/index.ts';
import type { ConflictRecord } from '../../shared/records/index.ts';
import { ADMIN_TOKEN, grantLocalFolder, type TestBridge } from '../support/bridge.ts';
import { commitFiles, createBareRepo, readFileAt } from '../support/local-git.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** One request with full control over headers and the raw body (for hostile inputs). */
export async function raw(
  bridge: Pick<TestBridge, 'url'>,
  method: string,
  path: string,
  options: { token?: string | null; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const response = await fetch(`${bridge.url}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...options.headers,
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : new Uint8Array(options.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** Asserts the `{"error":{"code","message"}}` shape, the status and code; returns the message. */
export function expectError(res: { status: number; body: unknown }, status: number, code: string): string {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const error = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  expect(error?.code).toBe(code);
  expect(typeof error?.message).toBe('string');
  expect(Object.keys(res.body as object)).toEqual(['error']);
  return error?.message as string;
}

/** A tenant API key created through the admin API, allowed to link local paths in the bridge's temp dir. */
export async function tenantKey(bridge: TestBridge, tenant: string): Promise<{ id: string; key: string }> {
  const created = await bridge.api<{ id: string; key: string }>('POST', '/api/v1/keys', {
    tenant,
    name: `${tenant} test key`,
  });
  expect(created.status).toBe(201);
  await grantLocalFolder(bridge, tenant);
  return created.body;
}

export interface TenantLink {
  id: string;
  repoDir: string;
  designFile: string;
  token: string;
}

/** A local git repository and a local design file of the spec's example architecture (in `folder`). */
export async function localSides(
  bridge: TestBridge,
  design: DesignExport = designOf(services()),
  defs: ServiceDefinition[] = services(),
  folder: string = bridge.dir,
): Promise<{ repoDir: string; designFile: string; repo: string; design: string }> {
  const tag = Math.random().toString(36).slice(2);
  const repoDir = join(folder, `repo-${tag}.git`);
  const designFile = join(folder, `design-${tag}.json`);
  await createBareRepo(repoDir, repoFiles(defs));
  await writeFile(designFile, `${JSON.stringify(design, null, 2)}\n`);
  return { repoDir, designFile, repo: pathToFileURL(repoDir).href, design: pathToFileURL(designFile).href };
}

/** A link created by `token`'s tenant through the API, first sync done. */
export async function linkFor(
  bridge: TestBridge,
  token: string = ADMIN_TOKEN,
  policy: Record<string, unknown> = { writes: 'direct' },
): Promise<TenantLink> {
  const sides = await localSides(bridge);
  const created = await bridge.api<{ id: string }>(
    'POST',
    '/api/v1/links',
    { repo: sides.repo, design: sides.design, branch: 'main', policy },
    token,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await bridge.idle();
  return { id: created.body.id, repoDir: sides.repoDir, designFile: sides.designFile, token };
}

/**
 * Edits one field on both sides differently and syncs, so a link with `onConflict: manual` gets an
 * open conflict. Returns that conflict. A conflict is one record per distinct disagreement, so a
 * second conflict on one link needs other `names`.
 */
export async function openConflictOn(
  bridge: TestBridge,
  link: TenantLink,
  names: { design: string; repo: string } = { design: 'Core (design)', repo: 'Core (repo)' },
): Promise<ConflictRecord> {
  await renameCoreOnBothSides(link, names);
  const queued = await bridge.api('POST', `/api/v1/links/${link.id}/sync`, {}, link.token);
  expect(queued.status).toBe(202);
  await bridge.idle();
  const open = await bridge.api<{ items: ConflictRecord[] }>(
    'GET',
    `/api/v1/links/${link.id}/conflicts?state=open`,
    undefined,
    link.token,
  );
  const [conflict] = open.body.items;
  if (!conflict) throw new Error(`no open conflict: ${JSON.stringify(open.body)}`);
  return conflict;
}

/** Gives the core service a different name on each side (no sync). */
export async function renameCoreOnBothSides(
  link: Pick<TenantLink, 'designFile' | 'repoDir'>,
  names: { design: string; repo: string },
): Promise<void> {
  const design = designOf(services());
  const core = design.components.find((c) => c.service_id === 'core');
  if (!core) throw new Error('example architecture has no core service');
  core.name = names.design;
  await writeFile(link.designFile, `${JSON.stringify(design, null, 2)}\n`);
  const path = definitionPath('core');
  const text = await readFileAt(link.repoDir, 'main', path);
  if (text === undefined) throw new Error('no core definition');
  await commitFiles(link.repoDir, 'main', { [path]: text.replace(/^name: .*$/m, `name: ${names.repo}`) });
}

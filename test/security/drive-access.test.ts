import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, type Link } from '../../shared/records/index.ts';
import { createBareRepo } from '../support/local-git.ts';
import { repoFiles, services } from '../sync/support.ts';
import { type AccessHarness, GOOGLE_TOKEN, startAccessHarness } from './access-harness.ts';

const VICTIM_DESIGN = 'victimDesign0123';
const OWN_DESIGN = 'malloryDesign0123';

const forms = (id: string) => ({
  file: `https://drive.google.com/file/d/${id}/view`,
  open: `https://drive.google.com/open?id=${id}`,
  aistudio: `https://aistudio.google.com/apps/drive/${id}`,
});

type ErrorBody = { error: { code: string; message: string } };
const errorOf = (body: unknown) => (body as ErrorBody).error;

/**
 * Hostile input: a tenant aims the bridge's Google credentials at a Drive file it was not given.
 * The bridge reads every file shared with its service account (here: every file of the loopback
 * Drive, another tenant's design among them) and tenants have no Google account of their own, so an
 * admin grant of the file (or of its folder) is the only thing between a tenant and that file.
 */
describe('a tenant links only the Drive designs the admin granted it', () => {
  let h: AccessHarness;
  let mallory: string;
  beforeAll(async () => {
    h = await startAccessHarness();
    // globex's design, shared with the bridge's service account and linked by globex legitimately.
    h.addDesign(VICTIM_DESIGN, ['globexFolder0123']);
    const globex = await h.key('globex');
    expect((await h.grant('globex', 'owners', 'globex')).status).toBe(201);
    expect((await h.grant('globex', 'drive-files', VICTIM_DESIGN)).status).toBe(201);
    const own = await h.link(globex, 'globex/platform', undefined, forms(VICTIM_DESIGN).file);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    // mallory may use the acme repositories: only the design is in question below.
    mallory = await h.key('mallory');
    expect((await h.grant('mallory', 'owners', 'acme')).status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(Object.entries(forms(VICTIM_DESIGN)))(
    'another tenant’s Drive file (%s URL): 403 saying how to ask for a grant, and Drive never hears of it',
    async (_form, url) => {
      const from = h.drive.requests.length;
      const res = await h.link(mallory, 'acme/platform', undefined, url);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      const error = errorOf(res.body);
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain(`bridge grants add mallory --drive-file ${VICTIM_DESIGN}`);
      expect(error.message).toMatch(/no Google account/);
      expect(error.message).not.toContain(GOOGLE_TOKEN);
      expect(h.driveRequestsTo(VICTIM_DESIGN, from)).toEqual([]);
      const links = await h.bridge.api<{ items: Link[] }>('GET', '/api/v1/links', undefined, mallory);
      expect(links.body.items).toEqual([]);
    },
  );

  it('a grant of one file does not open another (nor the same id in another case)', async () => {
    h.addDesign(OWN_DESIGN);
    expect((await h.grant('mallory', 'drive-files', OWN_DESIGN)).status).toBe(201);
    const own = await h.link(mallory, 'acme/platform', undefined, forms(OWN_DESIGN).file);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(await h.sync(mallory, own.body.id)).toMatchObject({ status: 'succeeded' });
    // The AI Studio URL names the same Drive file: the same grant covers it.
    const studio = await h.link(
      mallory,
      'acme/readonly',
      { mode: 'report-only' },
      forms(OWN_DESIGN).aistudio,
    );
    expect(studio.status, JSON.stringify(studio.body)).toBe(201);
    expect(studio.body.design).toBe(`https://drive.google.com/file/d/${OWN_DESIGN}`);

    const from = h.drive.requests.length;
    for (const url of [forms(VICTIM_DESIGN).aistudio, forms(OWN_DESIGN.toUpperCase()).file]) {
      const res = await h.link(mallory, 'acme/platform', undefined, url);
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(403);
    }
    expect(h.driveRequestsTo(VICTIM_DESIGN, from)).toEqual([]);
  });

  it('neither the repository nor the design: one 403 naming both grants', async () => {
    const eve = await h.key('eve');
    const res = await h.link(eve, 'victim-org/private-repo', undefined, forms(VICTIM_DESIGN).aistudio);
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    const { message } = errorOf(res.body);
    expect(message).toContain('--owner victim-org');
    expect(message).toContain(`--drive-file ${VICTIM_DESIGN}`);
  });

  it('a local repository inside a granted folder does not open another tenant’s Drive design', async () => {
    const folder = join(h.bridge.dir, 'tenants', 'mallory');
    await mkdir(folder, { recursive: true });
    const repo = join(folder, 'own.git');
    await createBareRepo(repo, repoFiles(services()));
    expect((await h.grant('mallory', 'local-paths', folder)).status).toBe(201);
    const from = h.drive.requests.length;
    const body = { repo: pathToFileURL(repo).href, design: forms(VICTIM_DESIGN).aistudio, branch: 'main' };
    const res = await h.bridge.api('POST', '/api/v1/links', body, mallory);
    await h.bridge.idle();
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(errorOf(res.body).message).toContain(`--drive-file ${VICTIM_DESIGN}`);
    expect(h.driveRequestsTo(VICTIM_DESIGN, from)).toEqual([]);
  });

  it('revoking the file’s grant fails the next sync as forbidden without reading or writing the file', async () => {
    const key = await h.key('lapsed');
    expect((await h.grant('lapsed', 'owners', 'acme')).status).toBe(201);
    h.addDesign('lapsedDesign0123');
    expect((await h.grant('lapsed', 'drive-files', 'lapsedDesign0123')).status).toBe(201);
    const res = await h.link(key, 'acme/platform', undefined, forms('lapsedDesign0123').aistudio);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await h.revoke('lapsed', 'drive-files', 'lapsedDesign0123')).status).toBe(200);

    const from = h.drive.requests.length;
    const op = await h.sync(key, res.body.id);
    expect(op).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(op.error?.message).toContain('bridge grants add lapsed --drive-file lapsedDesign0123');
    expect(h.driveRequestsTo('lapsedDesign0123', from)).toEqual([]);
    const link = await h.bridge.api<Link>('GET', `/api/v1/links/${res.body.id}`, undefined, key);
    expect(link.body).toMatchObject({ status: 'error', access: { state: 'forbidden' } });
    expect(link.body.access?.reason).toContain('--drive-file lapsedDesign0123');

    const report = await h.bridge.api<{ items: Array<Record<string, string>> }>(
      'GET',
      '/api/v1/access/refused-links',
    );
    expect(report.body.items.find((i) => i.linkId === res.body.id)).toMatchObject({
      tenant: 'lapsed',
      design: `https://drive.google.com/file/d/lapsedDesign0123`,
      state: 'forbidden',
      reason: expect.stringContaining('--drive-file lapsedDesign0123'),
    });
    // Links whose design is still granted are not listed.
    expect(report.body.items.map((i) => i.tenant)).not.toContain('globex');
  });

  it('a link made before Drive designs needed a grant is reported, and its next sync refused, not served', async () => {
    const key = await h.key('legacy');
    expect((await h.grant('legacy', 'owners', 'acme')).status).toBe(201);
    h.addDesign('legacyDesign0123');
    // Made by the admin, then handed to the tenant: what a tenant's link created before this rule is.
    const made = await h.link(
      undefined as unknown as string,
      'acme/platform',
      undefined,
      forms('legacyDesign0123').file,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const doc = await h.bridge.ctx.state.get<Link>(COLLECTIONS.links, made.body.id);
    await h.bridge.ctx.state.set(COLLECTIONS.links, made.body.id, { ...doc!.data, tenant: 'legacy' });

    const report = await h.bridge.api<{ items: Array<Record<string, string>> }>(
      'GET',
      '/api/v1/access/refused-links',
    );
    expect(report.body.items.find((i) => i.linkId === made.body.id)).toMatchObject({
      tenant: 'legacy',
      reason: expect.stringContaining('bridge grants add legacy --drive-file legacyDesign0123'),
    });
    const from = h.drive.requests.length;
    expect(await h.sync(key, made.body.id)).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(h.driveRequestsTo('legacyDesign0123', from)).toEqual([]);
  });

  it('the Drive provider is built only with the access check’s say-so (no path around the check)', async () => {
    const registry = await h.bridge.ctx.providers();
    const url = forms(VICTIM_DESIGN).file;
    for (const credentials of [undefined, {}, { bridge: true, githubToken: 'gho_x' }]) {
      expect(() => registry.design(url, credentials)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    }
    expect(registry.design(url, { drive: true }).kind).toBe('drive');
  });

  it('the admin tenant links any Drive file the bridge can read', async () => {
    const res = await h.link(
      undefined as unknown as string,
      'acme/platform',
      undefined,
      forms(VICTIM_DESIGN).aistudio,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

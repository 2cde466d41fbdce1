import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { definitionPath } from '../../shared/domain/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles, gitLog, readFileAt } from '../support/local-git.ts';
import { createLocalLink, designOf, services } from '../sync/support.ts';
import { expectAlive, expectNoPollution, send, webhook } from './support.ts';

const SECRET = 'pollution-webhook-secret';
const POLLUTERS = [
  ['__proto__', '{"__proto__":{"polluted":true}}'],
  ['constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
  ['prototype', '{"prototype":{"polluted":true}}'],
] as const;

/** `json` (an object literal's text) spliced into `into` as extra keys of its first object. */
const splice = (into: string, json: string) => `{${json.slice(1, -1)},${into.slice(1)}`;

describe('prototype-pollution keys are rejected or neutralised everywhere input enters', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await bridge?.close();
    expectNoPollution();
  });
  afterEach(async () => {
    await bridge.idle();
    expectNoPollution();
    await expectAlive(bridge);
  });

  describe('designs', () => {
    const design = () => JSON.stringify(designOf(services()));
    it.each(
      POLLUTERS.flatMap(([name, json]) => [
        [
          `${name} at the top level`,
          () => splice(design(), json),
          new RegExp(`the key "${name.split('.')[0]}" is not allowed`),
        ],
        [
          `${name} in a component`,
          () => design().replace('"components":[{', `"components":[{${json.slice(1, -1)},`),
          /not allowed/,
        ],
        [
          `${name} in a component's metadata`,
          () => design().replace('"components":[{', `"components":[{"metadata":${json},`),
          /not allowed/,
        ],
      ]),
    )('%s blocks the sync, nothing written', async (_name, text, reason) => {
      const link = await createLocalLink(bridge);
      const content = text();
      await writeFile(link.designFile, content);
      const commits = (await gitLog(link.repoDir, 'main')).length;
      const op = await link.sync();
      expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
      expect(op.error?.message).toMatch(reason);
      expect((await gitLog(link.repoDir, 'main')).length).toBe(commits);
      expect(await readFile(link.designFile, 'utf8')).toBe(content);
    });
  });

  describe('definitions and raw files', () => {
    it.each([
      ['a definition file with __proto__', '__proto__:\n  polluted: true\n'],
      ['a definition file with constructor.prototype', 'constructor:\n  prototype:\n    polluted: true\n'],
      [
        'a definition file with a __proto__ merge key',
        'metadata:\n  <<: { __proto__: { polluted: true } }\n',
      ],
    ])('%s blocks the sync and names the file', async (_name, extra) => {
      const link = await createLocalLink(bridge);
      const file = definitionPath('auth');
      await commitFiles(link.repoDir, 'main', {
        [file]: `${(await readFileAt(link.repoDir, 'main', file))!}${extra}`,
      });
      const designBefore = await readFile(link.designFile, 'utf8');
      const op = await link.sync();
      expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
      expect(op.error?.message).toContain('architecture/definitions/auth.yaml');
      expect(await readFile(link.designFile, 'utf8')).toBe(designBefore);
    });

    it.each([
      ['raw JSON with __proto__', 'p.json', '{"id":"pwn","name":"Pwn","__proto__":{"polluted":true}}'],
      [
        'raw JSON with constructor',
        'c.json',
        '{"id":"pwn","name":"Pwn","constructor":{"prototype":{"polluted":true}}}',
      ],
      ['raw YAML with __proto__', 'p.yaml', 'id: pwn\nname: Pwn\n__proto__:\n  polluted: true\n'],
      [
        'a raw design export with __proto__',
        'd.json',
        '{"components":[{"service_id":"pwn","name":"Pwn","__proto__":{"polluted":true}}]}',
      ],
    ])('%s stays in the drop zone, nothing is ingested', async (_name, file, content) => {
      const link = await createLocalLink(bridge);
      await commitFiles(link.repoDir, 'main', { [`architecture/raw/${file}`]: content });
      const op = await link.sync();
      expect(op.status).toBe('succeeded');
      expect(await readFileAt(link.repoDir, 'main', definitionPath('pwn'))).toBeUndefined();
      expect(await readFileAt(link.repoDir, 'main', `architecture/raw/${file}`)).toBe(content);
    });
  });

  describe('webhook payloads', () => {
    it.each(POLLUTERS)(
      '%s in a signed push is accepted as data and pollutes nothing',
      async (_name, json) => {
        const link = await createLocalLink(bridge);
        const push = JSON.stringify({
          ref: 'refs/heads/main',
          after: (await gitLog(link.repoDir, 'main'))[0]?.sha,
          repository: { full_name: 'acme/platform', name: 'platform', owner: { login: 'acme' } },
          head_commit: { id: 'x', message: 'm' },
          commits: [{ id: 'x', message: 'm' }],
        });
        const nested = push.replace('"owner":{', `"owner":{${json.slice(1, -1)},`);
        for (const body of [splice(push, json), nested]) {
          const res = await webhook(bridge, body, { secret: SECRET });
          expect([202, 400]).toContain(res.status);
          await bridge.idle();
        }
      },
    );
  });

  describe('API bodies', () => {
    it.each(
      POLLUTERS.flatMap(([name, json]) => [
        [
          `${name} in a new link`,
          'POST',
          () => '/api/v1/links',
          splice('{"repo":"file:///tmp/x.git","design":"file:///tmp/x.json"}', json),
        ],
        [
          `${name} in a link policy`,
          'POST',
          () => '/api/v1/links',
          `{"repo":"file:///tmp/x.git","design":"file:///tmp/x.json","policy":${json}}`,
        ],
        [`${name} in a sync request`, 'POST', (id: string) => `/api/v1/links/${id}/sync`, json],
        [`${name} in a key request`, 'POST', () => '/api/v1/keys', splice('{"tenant":"acme"}', json)],
        [
          `${name} in a conflict resolution`,
          'POST',
          (id: string) => `/api/v1/links/${id}/conflicts/none/resolve`,
          splice('{"take":"value","value":1}', json),
        ],
      ]),
    )(
      '%s is refused with 400 (or the target is 404) and pollutes nothing',
      async (_name, method, path, body) => {
        const link = await createLocalLink(bridge);
        const res = await send(bridge.url, method, path(link.id), {
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect([400, 404]).toContain(res.status);
        if (res.status === 400) expect(res.text).toMatch(/__proto__|constructor|prototype|Unrecognized/);
      },
    );
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { parseGraphql } from '../../support/loopback-github/graphql-parser.ts';
import {
  assertGithubResponse,
  type LoopbackGithub,
  startLoopbackGithub,
} from '../../support/loopback-github/index.ts';

const SHA = 'a'.repeat(40);

describe('loopback GitHub: schema validation', () => {
  let server: LoopbackGithub | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each([
    [
      'a valid git ref',
      {
        ref: 'refs/heads/main',
        node_id: 'x',
        url: 'http://h/x',
        object: { type: 'commit', sha: SHA, url: 'http://h/c' },
      },
      true,
    ],
    [
      'a ref without node_id',
      { ref: 'refs/heads/main', url: 'http://h/x', object: { type: 'commit', sha: SHA, url: 'http://h/c' } },
      false,
    ],
    [
      'a short sha',
      {
        ref: 'refs/heads/main',
        node_id: 'x',
        url: 'http://h/x',
        object: { type: 'commit', sha: 'abc', url: 'http://h/c' },
      },
      false,
    ],
  ])('checks %s against @octokit/openapi', async (_name, body, valid) => {
    const check = assertGithubResponse('GET', '/repos/o/r/git/ref/heads/main', 200, body);
    if (valid) await expect(check).resolves.toBeUndefined();
    else await expect(check).rejects.toThrow(/git\/ref\/\{ref\} 200/);
  });

  it('refuses a request body that breaks the schema with 422 and records it', async () => {
    server = await startLoopbackGithub({ repos: { 'o/r': { files: { 'a.txt': 'a' } } } });
    const res = await fetch(`${server.url}/repos/o/r/git/trees`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tree: [{ path: 'a.txt', mode: '123', type: 'blob', content: 'x' }] }),
    });
    expect(res.status).toBe(422);
    expect(server.validationErrors).toMatchObject([
      { kind: 'request', route: '/repos/{owner}/{repo}/git/trees' },
    ]);
    expect(() => server?.assertValid()).toThrow(/schema mismatches/);
  });

  it('answers unknown routes with 404 and logs them unmatched', async () => {
    server = await startLoopbackGithub({ repos: { 'o/r': {} } });
    const res = await fetch(`${server.url}/repos/o/r/contents/a.txt`);
    expect(res.status).toBe(404);
    expect(server.requests).toMatchObject([{ route: undefined, status: 404 }]);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4999');
  });

  it('answers a GraphQL query with aliases, inline fragments, expressions and variables', async () => {
    server = await startLoopbackGithub({ repos: { 'o/r': { files: { 'dir/a.txt': 'hello' } } } });
    const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
      main: ref(qualifiedName: "refs/heads/main") { name prefix target { oid ... on Commit { tree { oid } } } }
      f0: object(expression: "main:dir/a.txt") { __typename ... on Blob { text byteSize isBinary } }
      f1: object(expression: "main:missing") { ... on Blob { text } } } }`;
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      body: JSON.stringify({ query, variables: { owner: 'o', name: 'r' } }),
    });
    const json = (await res.json()) as { data: { repository: Record<string, unknown> } };
    const head = server.repo('o/r').head('main');
    expect(json.data.repository).toEqual({
      main: { name: 'main', prefix: 'refs/heads/', target: { oid: head, tree: { oid: expect.any(String) } } },
      f0: { __typename: 'Blob', text: 'hello', byteSize: 5, isBinary: false },
      f1: null,
    });
    expect(res.headers.get('x-ratelimit-resource')).toBe('graphql');
  });

  it.each([
    [
      'an unknown field',
      '{ repository(owner: "o", name: "r") { nope } }',
      /doesn't exist on type 'Repository'/,
    ],
    ['a named fragment', '{ ...F }', /Named fragments/],
    ['a directive', '{ repository(owner: "o", name: "r") @include(if: true) { name } }', /Directives/],
  ])('reports %s as a GraphQL error', async (_name, query, message) => {
    server = await startLoopbackGithub({ repos: { 'o/r': {} } });
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', body: JSON.stringify({ query }) });
    const json = (await res.json()) as { errors: Array<{ message: string }>; data?: unknown };
    expect(json.data).toBeUndefined();
    expect(json.errors[0]?.message).toMatch(message);
  });

  it('parses block-free GraphQL with lists, objects and comments', () => {
    const op = parseGraphql('# c\nquery Q($a: [String!]) { x: f(l: [1, "two", $a], o: {k: ENUM}) { y } }');
    expect(op.selections).toEqual([
      {
        kind: 'field',
        alias: 'x',
        name: 'f',
        args: { l: [1, 'two', { variable: 'a' }], o: { object: { k: { enum: 'ENUM' } } } },
        selections: [{ kind: 'field', alias: 'y', name: 'y', args: {} }],
      },
    ]);
  });
});

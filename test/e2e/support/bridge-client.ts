import type { DesignExport } from '../../../shared/domain/index.ts';
import type { Link, Operation } from '../../../shared/records/index.ts';
import { webhookDelivery } from '../../ingress/support/webhook-delivery.ts';
import type { Topology } from './topology.ts';

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/**
 * Waits until `probe` returns a value (not undefined), re-asking every 50 ms: the functions are
 * other processes, so what they did is seen through the API and the stand-ins, not awaited in-process.
 * Fails after `timeoutMs` naming what it waited for, with the functions' logs.
 */
export async function until<T>(
  topology: Topology,
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`timed out waiting for ${what}${why}\n${topology.logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The status API, as the CLI or a person calls it, with the admin token. */
export async function api<T>(
  topology: Topology,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${topology.functions['status-api'].url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${topology.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const operation = async (t: Topology, id: string) =>
  (await api<Operation>(t, 'GET', `/api/v1/operations/${id}`)).body;

/** Waits until operation `id` has finished (succeeded or failed) and returns it. */
export const finished = (t: Topology, id: string, timeoutMs?: number) =>
  until(
    t,
    `operation ${id} to finish`,
    async () => {
      const op = await operation(t, id);
      return op.status === 'succeeded' || op.status === 'failed' ? op : undefined;
    },
    timeoutMs,
  );

/**
 * Waits until no run of the link is queued or running. A run writes the other side before its
 * record, so a scenario that saw the write starts the next only once the record is in: two runs of
 * one link at once converge, but the later one may then say it found nothing to do.
 */
export const settled = (t: Topology, linkId: string) =>
  until(t, `every run of ${linkId} to finish`, async () => {
    const { body } = await api<{ items: Operation[] }>(
      t,
      'GET',
      `/api/v1/links/${linkId}/operations?pageSize=50`,
    );
    return body.items.every((o) => o.status === 'succeeded' || o.status === 'failed') ? true : undefined;
  });

/** Creates a direct-writes link between a stand-in repository and a stand-in Drive design. */
export async function createLink(t: Topology, repo: string, fileId: string) {
  const created = await api<Link & { initialOperationId: string }>(t, 'POST', '/api/v1/links', {
    repo: `https://github.com/${repo}`,
    design: `https://drive.google.com/file/d/${fileId}/view`,
    policy: { writes: 'direct' },
  });
  if (created.status !== 201) throw new Error(`link not created: ${JSON.stringify(created.body)}`);
  return created.body;
}

export const designOfFile = (t: Topology, fileId: string): DesignExport =>
  JSON.parse(t.standIns.drive.file(fileId)?.content ?? '{}') as DesignExport;

/** Edits one component of a stand-in Drive design, as a person in the visual tool would. */
export function editDesign(t: Topology, fileId: string, id: string, patch: Record<string, unknown>): void {
  const design = designOfFile(t, fileId);
  const found = design.components.find((c) => c.service_id === id);
  if (!found) throw new Error(`no component ${id}`);
  Object.assign(found, patch);
  t.standIns.drive.setContent(fileId, JSON.stringify(design, null, 2));
}

/** A push webhook for `after` on main, signed with `secret`, as GitHub sends it. */
export function pushDelivery(repo: string, after: string, secret: string, deliveryId = `delivery-${after}`) {
  const [owner, name] = repo.split('/');
  return webhookDelivery({
    event: 'push',
    secret,
    deliveryId,
    payload: {
      ref: 'refs/heads/main',
      after,
      repository: {
        full_name: repo,
        name,
        owner: { login: owner },
        html_url: `https://github.com/${repo}`,
      },
      commits: [{ id: after, message: 'Edit definitions by hand', author: { name: 'dev' } }],
      head_commit: { id: after, message: 'Edit definitions by hand' },
    },
  });
}

/** Posts a delivery to the github-webhook function at the address Terraform gives GitHub. */
export async function deliver(t: Topology, delivery: ReturnType<typeof webhookDelivery>) {
  const res = await fetch(`${t.functions['github-webhook'].url}/github/webhook`, {
    method: 'POST',
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

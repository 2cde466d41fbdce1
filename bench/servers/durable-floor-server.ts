import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { listenLoopback } from '../lib/listen-loopback.ts';
import { serveIpc } from './serve-ipc.ts';

// The durable floor: the least a webhook ingress that is durable and deduplicated can do, written
// for speed alone — node:http, HMAC over the raw body, JSON.parse, and per request two rows (the
// delivery marker, inserted if absent, and the queued event) in one SQLite transaction per event-loop
// turn (group commit, as the bridge does), WAL with synchronous=NORMAL, tables with no index but their
// keys; the body is stored as it came. No limits, no metrics, no logs. A diagnostic beside the peers: its throughput
// against the verify-only middleware's says how much of the verify-only figure durable work leaves.
await serveIpc(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-durable-floor-'));
  const db = new DatabaseSync(join(dir, 'queue.sqlite'));
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE deliveries (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL, attributes TEXT NOT NULL, created_at INTEGER NOT NULL);
  `);
  const record = db.prepare('INSERT INTO deliveries (id, data) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const enqueue = db.prepare('INSERT INTO queue (data, attributes, created_at) VALUES (?, ?, ?)');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const secret = process.env.BENCH_WEBHOOK_SECRET ?? '';
  let batch: Array<{ id: string; payload: string; attributes: string; answer: (status: number) => void }> =
    [];
  const flush = () => {
    const turn = batch;
    batch = [];
    begin.run();
    const created = turn.map((r) => {
      if (record.run(r.id, `{"deliveryId":${JSON.stringify(r.id)}}`).changes === 0) return false;
      enqueue.run(r.payload, r.attributes, Date.now());
      return true;
    });
    commit.run();
    turn.forEach((r, i) => {
      r.answer(created[i] ? 202 : 200);
    });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const given = Buffer.from(String(req.headers['x-hub-signature-256']));
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      const text = body.toString('utf8');
      const payload = JSON.parse(text) as { repository?: { full_name?: string } };
      const id = String(req.headers['x-github-delivery']);
      const attributes = JSON.stringify({
        event: 'push',
        deliveryId: id,
        repository: payload.repository?.full_name,
      });
      const answer = (status: number) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      if (batch.push({ id, payload: text, attributes, answer }) === 1) setImmediate(flush);
    });
  });
  return listenLoopback(server, async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Webhooks } from '@octokit/webhooks';
import { listenOctokit } from '../lib/octokit-listen.ts';
import { serveIpc } from './serve-ipc.ts';

// The same-work peer: what a user would build for the bridge's ingress with @octokit/webhooks — its
// Node middleware (verify, parse, emit) and a push handler that records the delivery (deduplicated
// by delivery id) and enqueues the event in SQLite, one transaction per request, with the bridge's
// own durability (WAL, synchronous=NORMAL).
await serveIpc(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-octokit-same-work-'));
  const db = new DatabaseSync(join(dir, 'queue.sqlite'));
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE deliveries (id TEXT PRIMARY KEY, event TEXT NOT NULL, first_seen TEXT NOT NULL, times INTEGER NOT NULL);
    CREATE TABLE queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, data TEXT NOT NULL, attributes TEXT NOT NULL, created_at TEXT NOT NULL);
  `);
  const record = db.prepare(
    `INSERT INTO deliveries (id, event, first_seen, times) VALUES (?, ?, ?, 1)
     ON CONFLICT(id) DO UPDATE SET times = times + 1 RETURNING times`,
  );
  const enqueue = db.prepare('INSERT INTO queue (topic, data, attributes, created_at) VALUES (?, ?, ?, ?)');
  const webhooks = new Webhooks({ secret: process.env.BENCH_WEBHOOK_SECRET ?? '' });
  webhooks.on('push', ({ id, name, payload }) => {
    const now = new Date().toISOString();
    db.exec('BEGIN IMMEDIATE');
    try {
      const { times } = record.get(id, name, now) as { times: number };
      if (times === 1) {
        enqueue.run(
          'github-events',
          JSON.stringify(payload),
          JSON.stringify({ event: name, deliveryId: id, repository: payload.repository.full_name }),
          now,
        );
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  });
  const server = await listenOctokit(webhooks);
  return {
    url: server.url,
    idle: async () => {},
    close: async () => {
      await server.close();
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

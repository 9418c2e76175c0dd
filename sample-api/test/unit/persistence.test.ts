import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import request from 'supertest';
import { openSqliteStore } from '../../src/items/sqlite-store.ts';
import { buildApp, client } from './helpers.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'items-data-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it('keeps items across a restart on the same data directory', async () => {
  const before = openSqliteStore(dataDir);
  const { body: item } = await client(buildApp(before))
    .post('/items')
    .send({ name: 'Kept', description: 'safe' })
    .expect(201);
  await before.close();

  const after = openSqliteStore(dataDir);
  try {
    await request(buildApp(after)).get(`/items/${item.id}`).expect(200, item);
  } finally {
    await after.close();
  }
});

it('creates the data directory and keeps the database in WAL mode', async () => {
  const nested = path.join(dataDir, 'not', 'yet');
  const store = openSqliteStore(nested);
  await store.close();
  const db = new DatabaseSync(path.join(nested, 'items.db'));
  try {
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
  } finally {
    db.close();
  }
});

it('is not ready once the database is closed', async () => {
  const store = openSqliteStore(dataDir);
  await store.close();
  await request(buildApp(store)).get('/health/ready').expect(503);
});

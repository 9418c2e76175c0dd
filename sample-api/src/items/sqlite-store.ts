/**
 * Items in SQLite through Node's built-in node:sqlite: no native addon, so the image
 * needs no compiler. The database is one file in the data directory, which the container
 * keeps on a volume.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Item, ItemInput } from './schema.ts';
import type { ItemStore } from './store.ts';

// A type alias, not an interface: aliases have the implicit index signature that lets the
// records node:sqlite returns be cast to them.
type Row = {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
};

function toItem(row: Row): Item {
  return {
    id: row.id,
    name: row.name,
    ...(row.description !== null && { description: row.description }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function openSqliteStore(dataDir: string): ItemStore {
  mkdirSync(dataDir, { recursive: true });
  // During a rolling update the old and the new container briefly share the file: wait up
  // to 5 s for the other's write lock instead of failing at once with SQLITE_BUSY.
  const db = new DatabaseSync(path.join(dataDir, 'items.db'), { timeout: 5000 });
  // WAL lets reads go on while a write commits. synchronous=FULL flushes the log to disk at
  // every commit, so a write the client saw succeed survives kill -9 and a power cut alike.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS items (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      description TEXT,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT
  `);

  const sql = {
    // rowid follows insertion order, which keeps pages stable.
    list: db.prepare('SELECT * FROM items ORDER BY rowid LIMIT ? OFFSET ?'),
    count: db.prepare('SELECT count(*) AS total FROM items'),
    get: db.prepare('SELECT * FROM items WHERE id = ?'),
    insert: db.prepare(
      'INSERT INTO items (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
    ),
    update: db.prepare('UPDATE items SET name = ?, description = ?, updated_at = ? WHERE id = ? RETURNING *'),
    remove: db.prepare('DELETE FROM items WHERE id = ?'),
    ping: db.prepare('SELECT 1'),
  };

  const get = (id: string) => sql.get.get(id) as Row | undefined;
  const write = (id: string, { name, description }: ItemInput) =>
    toItem(sql.update.get(name, description ?? null, new Date().toISOString(), id) as Row);

  return {
    async list({ limit, offset }) {
      const rows = sql.list.all(limit, offset) as Row[];
      const { total } = sql.count.get() as { total: number };
      return { items: rows.map(toItem), total };
    },
    async get(id) {
      const row = get(id);
      return row && toItem(row);
    },
    async create({ name, description }) {
      const now = new Date().toISOString();
      return toItem(sql.insert.get(randomUUID(), name, description ?? null, now, now) as Row);
    },
    async replace(id, input) {
      return get(id) && write(id, input);
    },
    async update(id, patch) {
      const row = get(id);
      return row && write(id, { ...toItem(row), ...patch });
    },
    async remove(id) {
      return sql.remove.run(id).changes > 0;
    },
    async ping() {
      sql.ping.get();
    },
    async close() {
      db.close();
    },
  };
}

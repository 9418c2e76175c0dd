/**
 * Items in SQLite through Node's built-in node:sqlite: no native addon, so the image
 * needs no compiler. The database is one file in the data directory (DATA_DIR), which
 * the container keeps on a volume.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseSync as Database } from 'node:sqlite';
import type { Item, ItemInput } from './schema.ts';
import { StoreError, type ItemStore } from './store.ts';

// Node 22 prints "ExperimentalWarning: SQLite is an experimental feature" on stderr when
// node:sqlite first loads (24 and later print nothing). Nothing in it is for an operator to
// act on, so that one warning is dropped while the module loads, and only there: every other
// warning still prints. (A `--disable-warning=ExperimentalWarning` flag on the server would
// hide every experimental warning, in every place that starts it.)
const { DatabaseSync } = await loadWithoutWarning('SQLite is an experimental feature', () => import('node:sqlite'));

async function loadWithoutWarning<T>(message: string, load: () => Promise<T>): Promise<T> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if ((typeof warning === 'string' ? warning : warning.message).startsWith(message)) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  }) as typeof process.emitWarning;
  try {
    return await load();
  } finally {
    process.emitWarning = emitWarning;
  }
}

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

// SQLite's primary result codes (https://sqlite.org/rescode.html). node:sqlite reports the
// extended code as `errcode`; its low byte is the primary one.
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;

/** A SQLite failure the routes can answer precisely, as a StoreError; anything else as it is. */
function named(error: unknown): unknown {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode !== 'number') return error;
  switch (errcode & 0xff) {
    case SQLITE_FULL:
      return new StoreError('full', 'The data volume is full: nothing more can be stored until space is freed', {
        cause: error,
      });
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new StoreError('busy', 'Another process held the database write lock for longer than the busy timeout', {
        cause: error,
      });
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return new StoreError('unavailable', 'The database file cannot be written or read', { cause: error });
    default:
      return error;
  }
}

/** Says in one sentence what is wrong with DATA_DIR and what to do, before SQLite says it worse. */
function checkDataDir(dataDir: string): void {
  const code = (error: unknown) => (error as NodeJS.ErrnoException).code;
  const problem = (what: string, cause: unknown) =>
    new StoreError('unavailable', `DATA_DIR ${dataDir} ${what}`, { cause });
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    if (code(error) === 'EEXIST' || code(error) === 'ENOTDIR')
      throw problem('is a file, not a directory: point DATA_DIR at a directory', error);
    if (code(error) === 'EROFS')
      throw problem('cannot be created on a read-only filesystem: mount a writable volume there', error);
    throw problem(
      `cannot be created (${code(error) ?? error}): create it, or point DATA_DIR at a writable directory`,
      error,
    );
  }
  if (!statSync(dataDir).isDirectory())
    throw problem('is a file, not a directory: point DATA_DIR at a directory', undefined);
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    if (code(error) === 'EROFS') throw problem('is on a read-only filesystem: mount a writable volume there', error);
    throw problem(
      `is not writable by the user the service runs as (uid ${process.getuid?.()}): give it that user (chown), or mount a volume it owns`,
      error,
    );
  }
}

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's write lock before it fails as busy. */
  busyTimeoutMs?: number;
}

export function openSqliteStore(dataDir: string, { busyTimeoutMs = 5000 }: SqliteStoreOptions = {}): ItemStore {
  checkDataDir(dataDir);
  const file = path.join(dataDir, 'items.db');
  let db: Database;
  try {
    // During a rolling update the old and the new container briefly share the file: wait
    // (5 s by default) for the other's write lock instead of failing at once with SQLITE_BUSY.
    db = new DatabaseSync(file, { timeout: busyTimeoutMs });
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
    // One row that readiness rewrites to learn whether writes can commit again (see ping).
    db.exec(
      'CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY CHECK (id = 1), room BLOB NOT NULL) STRICT',
    );
  } catch (error) {
    throw new StoreError('unavailable', `DATA_DIR ${dataDir}: cannot open ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }

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
    // 16 KB, several times an item: a write this size that commits shows there is room for
    // writes again, where a tiny one could still fit into the last free bytes.
    probe: db.prepare('INSERT OR REPLACE INTO write_probe (id, room) VALUES (1, zeroblob(16384))'),
  };

  // Set when a write could not be stored for want of space or a writable file, cleared by
  // the next write that commits: readiness is off in between (see ping).
  let fault: StoreError | undefined;

  const read = <T>(query: () => T): T => {
    try {
      return query();
    } catch (error) {
      throw named(error);
    }
  };
  const write = <T>(statement: () => T): T => {
    try {
      const result = statement();
      fault = undefined;
      return result;
    } catch (error) {
      const failure = named(error);
      if (failure instanceof StoreError && failure.kind !== 'busy') fault = failure;
      throw failure;
    }
  };

  // A RETURNING write runs through all(), never get(). In autocommit mode the commit happens
  // when the statement runs to its end; get() stops at the first row, and node:sqlite before
  // Node 26 drops the error of the commit that follows (SQLITE_FULL on a full disk), so a
  // write that was rolled back would be answered as stored. all() steps to the end and throws.
  // SQLite describes the case at https://sqlite.org/c3ref/reset.html.
  const returning = (rows: unknown[]) => toItem(rows[0] as Row);
  const get = (id: string) => read(() => sql.get.get(id) as Row | undefined);
  const replaceFields = (id: string, { name, description }: ItemInput) =>
    write(() => returning(sql.update.all(name, description ?? null, new Date().toISOString(), id)));

  return {
    async list({ limit, offset }) {
      return read(() => {
        const rows = sql.list.all(limit, offset) as Row[];
        const { total } = sql.count.get() as { total: number };
        return { items: rows.map(toItem), total };
      });
    },
    async get(id) {
      const row = get(id);
      return row && toItem(row);
    },
    async create({ name, description }) {
      const now = new Date().toISOString();
      return write(() => returning(sql.insert.all(randomUUID(), name, description ?? null, now, now)));
    },
    async replace(id, input) {
      return get(id) && replaceFields(id, input);
    },
    async update(id, patch) {
      const row = get(id);
      return row && replaceFields(id, { ...toItem(row), ...patch });
    },
    async remove(id) {
      return write(() => sql.remove.run(id).changes > 0);
    },
    async ping() {
      // After a write that could not be stored, a read proves nothing: each probe tries the
      // 16 KB probe write, and the first that commits (space freed, volume writable) ends it.
      if (fault) write(() => sql.probe.run());
      else read(() => sql.ping.get());
    },
    async close() {
      db.close();
    },
  };
}

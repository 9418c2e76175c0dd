/**
 * Items in PostgreSQL through node-postgres's pool. The schema is the migrations' (src/db):
 * this module only reads and writes. Every write is one statement, committed before the
 * client hears of it: an acknowledged item survives the API and the database being killed.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { Item } from './schema.ts';
import { StoreError, type ItemStore } from './store.ts';

interface Row {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, description, created_at, updated_at';

function toItem(row: Row): Item {
  return {
    id: row.id,
    name: row.name,
    ...(row.description !== null && { description: row.description }),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// Socket errors (the server stopped, restarting, or not resolvable yet) and the SQLSTATEs of
// a server that is going away or refusing connections (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);
const GOING_AWAY = new Set(['57P01', '57P02', '57P03', '53300']);
const BUSY = new Set(['40001', '40P01', '55P03', '57014']);
const DISK_FULL = '53100';

/** A PostgreSQL failure the routes can answer precisely, as a StoreError; anything else as it is. */
function named(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (
    (typeof code === 'string' && (NETWORK_ERRORS.has(code) || GOING_AWAY.has(code) || code.startsWith('08'))) ||
    // node-postgres's own words for a connection that died or never came.
    /^Connection terminated|timeout exceeded when trying to connect|^Query read timeout/.test(message)
  ) {
    return new StoreError('unreachable', 'The database does not answer', { cause: error });
  }
  if (code === DISK_FULL) return new StoreError('full', 'The database is out of disk space', { cause: error });
  if (typeof code === 'string' && BUSY.has(code)) {
    return new StoreError(
      'busy',
      'The database could not finish the statement in time (a lock, a conflict, or the statement timeout)',
      {
        cause: error,
      },
    );
  }
  return error;
}

export function createPgStore(database: Database): ItemStore {
  const { pool } = database;

  const query = async <T extends object>(text: string, values: unknown[] = []): Promise<T[]> => {
    if (!database.isReady())
      throw new StoreError('unreachable', 'The database is not ready yet: the service is still connecting to it');
    try {
      return (await pool.query<T>(text, values)).rows;
    } catch (error) {
      throw named(error);
    }
  };
  const one = async (text: string, values: unknown[]) => {
    const [row] = await query<Row>(text, values);
    return row && toItem(row);
  };

  return {
    async list({ limit, offset }) {
      // One statement, so the page and the total come from the same snapshot.
      const rows = await query<Row & { total: string }>(
        `SELECT ${COLUMNS}, count(*) OVER () AS total FROM items ORDER BY position LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      // Past the last page there are no rows to carry the total: count on its own.
      const total = rows[0]
        ? Number(rows[0].total)
        : Number((await query<{ total: string }>('SELECT count(*) AS total FROM items'))[0]?.total);
      return { items: rows.map(toItem), total };
    },
    async get(id) {
      return one(`SELECT ${COLUMNS} FROM items WHERE id = $1`, [id]);
    },
    async create({ name, description }) {
      const now = new Date();
      const item = await one(
        `INSERT INTO items (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING ${COLUMNS}`,
        [randomUUID(), name, description ?? null, now],
      );
      if (!item) throw new Error('INSERT … RETURNING returned no row');
      return item;
    },
    async replace(id, { name, description }) {
      return one(`UPDATE items SET name = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING ${COLUMNS}`, [
        id,
        name,
        description ?? null,
        new Date(),
      ]);
    },
    async update(id, patch) {
      // Only the fields given change: COALESCE keeps the others. `description: undefined`
      // is not in a patch (the schema drops it), so null here means "keep".
      return one(
        `UPDATE items SET name = COALESCE($2, name), description = CASE WHEN $3::boolean THEN $4 ELSE description END, updated_at = $5
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, patch.name ?? null, 'description' in patch, patch.description ?? null, new Date()],
      );
    },
    async remove(id) {
      return (await query<{ id: string }>('DELETE FROM items WHERE id = $1 RETURNING id', [id])).length > 0;
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      await database.close();
    },
  };
}

/**
 * Versioned migrations (src/db/migrations/NNN-*.ts), applied in one transaction under an
 * advisory lock: replicas that start together take turns, and the second finds nothing left
 * to do. A migration that fails rolls back with everything before it in the same run, so the
 * schema is never half-changed.
 */
import { readdir } from 'node:fs/promises';
import type { Pool } from 'pg';

export interface Migration {
  /** The file's number, `001`: the order, and the row in schema_migrations. */
  version: string;
  name: string;
  sql: string;
}

/** Any constant the app uses for no other lock; it names "the schema is being migrated". */
const MIGRATION_LOCK = 72_616_001;
const MIGRATION_FILE = /^(\d+)-([a-z0-9-]+)\.(ts|js)$/;

/** The migrations next to this module: the .ts sources in development, the compiled .js in the image. */
export async function loadMigrations(dir = new URL('./migrations/', import.meta.url)): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => MIGRATION_FILE.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const [, version = '', name = ''] = MIGRATION_FILE.exec(file) ?? [];
      const { sql } = (await import(new URL(file, dir).href)) as { sql: string };
      return { version, name, sql };
    }),
  );
}

/** Applies the migrations the database has not seen; resolves with their versions. */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    // Held until COMMIT or ROLLBACK, and released by the server if this connection dies.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    text PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    const { rows } = await client.query<{ version: string }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    broken = error as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    // A connection that failed mid-transaction is dropped, not handed to the next caller.
    client.release(broken);
  }
}

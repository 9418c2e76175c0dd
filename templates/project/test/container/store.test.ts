/**
 * The PostgreSQL store and its migrations against a real PostgreSQL (postgres:17, the image
 * compose.yaml runs), started by Testcontainers. No api container: these are the store's own
 * promises, which the routes build on.
 */
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { pino } from 'pino';
import { startDatabase, type Database } from '../../src/db/database.ts';
import { loadMigrations, migrate, type Migration } from '../../src/db/migrations.ts';
import { createPgStore } from '../../src/items/pg-store.ts';
import { StoreError, type ItemStore } from '../../src/items/store.ts';
import { docker } from './support/docker.ts';
import { DB_IMAGE, SLUG, TEST_LABEL } from './support/project.ts';

const logger = pino({ level: 'silent' });
let server: StartedPostgreSqlContainer;

beforeAll(async () => {
  server = await new PostgreSqlContainer(DB_IMAGE).withLabels({ [TEST_LABEL]: SLUG }).start();
});
afterAll(async () => {
  await server?.stop();
});

/** A database of its own per test, so each starts from an empty schema. */
async function freshDatabase(): Promise<{ config: Parameters<typeof startDatabase>[0]; drop(): Promise<void> }> {
  const name = `t${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: server.getConnectionUri() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const config = {
    host: server.getHost(),
    port: server.getPort(),
    user: server.getUsername(),
    database: name,
    password: server.getPassword(),
    poolMax: 5,
  };
  return {
    config,
    async drop() {
      const client = new pg.Client({ connectionString: server.getConnectionUri() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

describe('the PostgreSQL item store', () => {
  let database: Database;
  let store: ItemStore;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    database = startDatabase(fresh.config, logger);
    await database.ready;
    store = createPgStore(database);
  });
  afterEach(async () => {
    await store.close();
    await drop();
  });

  it('creates, reads, pages, replaces, patches and removes items, in insertion order', async () => {
    const tea = await store.create({ name: 'Tea', description: 'green' });
    const coffee = await store.create({ name: 'Coffee' });
    expect(await store.get(tea.id)).toEqual(tea);
    expect(coffee).not.toHaveProperty('description');
    expect(await store.list({ limit: 1, offset: 1 })).toEqual({ items: [coffee], total: 2 });
    expect(await store.list({ limit: 10, offset: 5 })).toEqual({ items: [], total: 2 });

    const patched = await store.update(tea.id, { name: 'Black tea' });
    expect(patched).toMatchObject({ id: tea.id, name: 'Black tea', description: 'green', createdAt: tea.createdAt });
    const replaced = await store.replace(tea.id, { name: 'Oolong' });
    expect(replaced).toMatchObject({ name: 'Oolong' });
    expect(replaced).not.toHaveProperty('description');
    expect(await store.update('no-such-id', { name: 'x' })).toBeUndefined();

    expect(await store.remove(coffee.id)).toBe(true);
    expect(await store.remove(coffee.id)).toBe(false);
    expect(await store.get('not-a-uuid')).toBeUndefined();
  });

  it('answers unreachable (503) while the database does not answer, and serves again once it does, on the same pool', async () => {
    await store.create({ name: 'before' });
    // A frozen server, as in a network partition: connections neither answer nor close.
    await docker(['pause', server.getId()]);
    try {
      await expect(store.list({ limit: 10, offset: 0 })).rejects.toMatchObject({
        name: 'StoreError',
        kind: 'unreachable',
      });
    } finally {
      await docker(['unpause', server.getId()]);
    }
    await expect(store.list({ limit: 10, offset: 0 })).resolves.toMatchObject({ total: 1 });
  });
});

describe('migrations', () => {
  it('two replicas starting together apply them once: one applies, the other finds nothing to do', async () => {
    const fresh = await freshDatabase();
    const first = new pg.Pool(fresh.config);
    const pools = [first, new pg.Pool(fresh.config)];
    try {
      const migrations = await loadMigrations();
      const results = await Promise.all(pools.map((pool) => migrate(pool, migrations)));
      expect(results.map((applied) => applied.length).sort()).toEqual([0, migrations.length]);
      const { rows } = await first.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await fresh.drop();
    }
  });

  it('a migration that fails rolls back the whole run: no table, no version recorded', async () => {
    const fresh = await freshDatabase();
    const pool = new pg.Pool(fresh.config);
    const broken: Migration[] = [
      ...(await loadMigrations()),
      { version: '999', name: 'broken', sql: 'ALTER TABLE nowhere ADD COLUMN x int' },
    ];
    try {
      await expect(migrate(pool, broken)).rejects.toThrow(/relation "nowhere" does not exist/);
      const { rows } = await pool.query(
        "SELECT to_regclass('items') AS items, to_regclass('schema_migrations') AS versions",
      );
      expect(rows[0]).toEqual({ items: null, versions: null });
    } finally {
      await pool.end();
      await fresh.drop();
    }
  });

  it('the server waits for a database that is not there yet, logging each try, and is not ready meanwhile', async () => {
    const lines: { msg: string }[] = [];
    const capture = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const database = startDatabase(
      { host: '127.0.0.1', port: 1, user: 'app', database: 'app', password: 'x', poolMax: 1 },
      capture,
    );
    const store = createPgStore(database);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreError);
    while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines[0]?.msg).toMatch(/^waiting for the database at 127\.0\.0\.1:1 \(ECONNREFUSED\); retrying in \d+ ms$/);
    expect(database.isReady()).toBe(false);
    await store.close();
  });
});

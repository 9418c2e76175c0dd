/**
 * --persistence postgres: what a new project gets besides the API (a db service in compose,
 * the password as a secret file both read, the pg store and its migrations), and what it
 * does not (SQLite's store and volume). On the engine: test/e2e/postgres*.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { generate } from '../support/generate.js';

let work = '';
let project = '';
const read = (file: string) => readFileSync(path.join(project, file), 'utf8');

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'postgres-generator-'));
  project = path.join(work, 'pg-api');
  generate(project, ['--yes', '--persistence', 'postgres', '--skip-install']);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--persistence postgres', () => {
  it('compose runs postgres:17 as db: password from the secret, named volume, pg_isready, not published, internal network', () => {
    const compose = parse(read('compose.yaml'));
    const db = compose.services.db;
    expect(db.image).toBe('postgres:17');
    expect(db.environment).toEqual({ POSTGRES_USER: 'app', POSTGRES_DB: 'app', POSTGRES_PASSWORD_FILE: '/run/secrets/db_password' });
    expect(db.secrets).toEqual(['db_password']);
    expect(db.volumes).toEqual(['db-data:/var/lib/postgresql/data']);
    expect(db.healthcheck.test).toEqual(['CMD', 'pg_isready', '--host', '127.0.0.1', '--username', 'app', '--dbname', 'app']);
    expect(db.ports).toBeUndefined();
    expect(db.networks).toEqual(['db']);
    expect(compose.networks).toEqual({ db: { internal: true } });
    expect(compose.volumes).toEqual({ 'db-data': null });
    expect(compose.secrets.db_password).toEqual({ file: './secrets/db_password' });
  });

  it('the api waits for the db to be healthy, shares only the internal network with it, and reads the password from the file', () => {
    const api = parse(read('compose.yaml')).services.api;
    expect(api.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(api.networks).toEqual(['default', 'db']);
    expect(api.secrets).toEqual(['api_token', 'db_password']);
    expect(api.environment).toMatchObject({ DATABASE_HOST: 'db', DATABASE_PASSWORD_FILE: '/run/secrets/db_password' });
    expect(Object.keys(api.environment)).not.toContain('DATABASE_PASSWORD');
    // Stateless: no data volume of its own.
    expect(api.volumes).toBeUndefined();
  });

  it('compose.swarm.yaml is the whole stack for swarm, with no depends_on, and the api and db as compose.yaml has them', () => {
    const compose = parse(read('compose.yaml'));
    const swarm = parse(read('compose.swarm.yaml'));
    expect(Object.keys(swarm.services).sort()).toEqual(['api', 'db', 'edge']);
    // docker stack deploy refuses the condition form, and an override could not remove it.
    for (const service of Object.values(swarm.services)) expect(service).not.toHaveProperty('depends_on');
    expect(read('DEPLOY.md')).toContain('IMAGE_TAG=v1 docker stack deploy -c compose.swarm.yaml pg-api');
    for (const key of ['environment', 'secrets', 'networks', 'healthcheck', 'stop_grace_period', 'cap_drop', 'read_only', 'init']) {
      expect({ key, value: swarm.services.api[key] }).toEqual({ key, value: compose.services.api[key] });
    }
    for (const key of ['image', 'environment', 'secrets', 'networks', 'healthcheck', 'stop_grace_period']) {
      expect({ key, value: swarm.services.db[key] }).toEqual({ key, value: compose.services.db[key] });
    }
    expect(swarm.services.api.deploy.replicas).toBe(2);
    expect(swarm.services.db.deploy).toMatchObject({ endpoint_mode: 'dnsrr', replicas: 1, update_config: { order: 'stop-first' } });
    expect(swarm.services.db.ports).toBeUndefined();
    expect(swarm.networks).toEqual(compose.networks);
    expect(swarm.volumes).toEqual(compose.volumes);
    expect(swarm.secrets.db_password).toEqual(compose.secrets.db_password);
  });

  it('writes a random password to secrets/db_password, readable by both containers, and git ignores it', () => {
    const password = read('secrets/db_password');
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(statSync(path.join(project, 'secrets/db_password')).mode & 0o044).toBe(0o044);
    expect(read('.gitignore')).toMatch(/^secrets\/$/m);
  });

  it('gets the pg store, versioned migrations and npm run migrate; not the SQLite store', () => {
    for (const file of [
      'src/items/pg-store.ts',
      'src/db/database.ts',
      'src/db/migrations.ts',
      'src/db/migrations/001-create-items.ts',
      'src/migrate.ts',
      'test/container/store.test.ts',
    ]) {
      expect(existsSync(path.join(project, file))).toBe(true);
    }
    expect(existsSync(path.join(project, 'src/items/sqlite-store.ts'))).toBe(false);
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.scripts.migrate).toBe('node --env-file-if-exists=.env src/migrate.ts');
    expect(pkg.dependencies.pg).toMatch(/^\^8\./);
    expect(pkg.devDependencies).toMatchObject({ '@testcontainers/postgresql': expect.any(String), '@types/pg': expect.any(String) });
  });
});

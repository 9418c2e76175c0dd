/**
 * `--services` for an existing project: the kinds detection defaults to, the flag's parser, the
 * app's variables pointed at each service, and what a run writes (compose's fragments through
 * the shared services list, the generated passwords in secret files, secrets/app.env). The
 * fixtures under test/fixtures/services are the apps test/e2e/services.test.ts brings up.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { variablesRead } from '../../generators/docker/detect/environment.js';
import { detect } from '../../generators/docker/detect/index.js';
import { detectedServices, parseServices, wiringOf } from '../../generators/docker/services.js';
import { UsageError } from '../../generators/lib/questions.js';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/services');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'services-gen-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = path.join(mkdtempSync(path.join(work, 'gen-')), name);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
type Compose = {
  services: Record<string, Record<string, unknown> & { depends_on?: Record<string, { condition: string }> }>;
  networks?: Record<string, { internal?: boolean }>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
};
const composeOf = (dir: string) => parseYaml(read(dir, 'compose.yaml')) as Compose;

describe('--services, the flag', () => {
  it('defaults to the kinds the detected clients need, leaving out what compose cannot bring', () => {
    expect(
      detectedServices([
        { service: 'Redis', packages: ['ioredis'] },
        { service: 'Elasticsearch', packages: ['@elastic/elasticsearch'] },
        { service: 'PostgreSQL', packages: ['pg'] },
      ]),
    ).toEqual(['postgres', 'redis']);
    expect(detectedServices(detect(path.join(FIXTURES, 'express-mysql')).services)).toEqual(['mysql']);
  });

  it("names a service reached through a framework plugin, though the driver is only a dev dependency (fastify/fastify-example-todo's shape)", () => {
    const dir = path.join(mkdtempSync(path.join(work, 'plugins-')), 'api');
    cpSync(path.join(FIXTURES, 'express-pg'), dir, { recursive: true });
    const pkg = JSON.parse(read(dir, 'package.json'));
    pkg.dependencies = { fastify: '^5.0.0', '@fastify/mongodb': '^9.0.0', '@libsql/client': '^0.14.0', '@aws-sdk/client-s3': '^3.0.0' };
    pkg.devDependencies = { mongodb: '^6.0.0' };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
    const { services } = detect(dir);
    expect(services).toEqual([
      { service: 'MongoDB', packages: ['@fastify/mongodb'] },
      { service: 'libSQL', packages: ['@libsql/client'] },
      { service: 'S3 object storage', packages: ['@aws-sdk/client-s3'] },
    ]);
    // compose can bring MongoDB; the other two are named, not brought.
    expect(detectedServices(services)).toEqual(['mongodb']);
  });

  it('takes none, a list with spaces and other spellings, and keeps one order', () => {
    expect(parseServices('none')).toEqual([]);
    expect(parseServices('redis, PostgreSQL,mariadb,redis')).toEqual(['postgres', 'mysql', 'redis']);
    expect(parseServices(['mongo'])).toEqual(['mongodb']);
  });

  it('refuses a service it cannot bring, naming the flag, the value and the choices', () => {
    expect(() => parseServices('postgres,elasticsearch')).toThrow(UsageError);
    expect(() => parseServices('postgres,elasticsearch')).toThrow(
      '--services "elasticsearch" is not a service compose can bring: use postgres, mysql, redis, mongodb (comma-separated), or none.',
    );
  });

  it('a bad value exits 2 with that line, and writes nothing', () => {
    const dir = copy('express-pg');
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--services', 'kafka'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--services "kafka" is not a service compose can bring');
    expect(() => statSync(path.join(dir, 'compose.yaml'))).toThrow();
    expect(() => statSync(path.join(dir, 'secrets'))).toThrow();
  });
});

describe("the app's variables, pointed at the services", () => {
  it.each([
    ['DATABASE_URL', ['postgres'], { kind: 'postgres', part: 'url' }],
    ['DB_HOST', ['mysql'], { kind: 'mysql', part: 'host' }],
    ['DB_PASS', ['mysql', 'redis'], { kind: 'mysql', part: 'password' }],
    ['MYSQL_DATABASE', ['mysql'], { kind: 'mysql', part: 'database' }],
    ['TYPEORM_USERNAME', ['postgres'], { kind: 'postgres', part: 'user' }],
    ['PGPASSWORD', ['postgres'], { kind: 'postgres', part: 'password' }],
    ['POSTGRES_DB', ['postgres', 'mysql'], { kind: 'postgres', part: 'database' }],
    ['REDIS_URL', ['postgres', 'redis'], { kind: 'redis', part: 'url' }],
    ['CACHE_HOST', ['redis'], { kind: 'redis', part: 'host' }],
    ['MONGODB_URI', ['mongodb'], { kind: 'mongodb', part: 'url' }],
    ['APP_DB_PORT', ['postgres'], { kind: 'postgres', part: 'port' }],
  ] as const)('%s with %j: %j', (name, kinds, expected) => {
    expect(wiringOf(name, kinds)).toEqual({ name, ...expected });
  });

  it.each([
    ['SMTP_HOST', ['postgres']],
    ['JWT_SECRET', ['postgres']],
    ['REDIS_URL', ['postgres']],
    ['MYSQL_HOST', ['postgres']],
    // A number the app picks, not a database to name.
    ['REDIS_DB', ['redis']],
    ['PGHOST', ['mysql']],
  ] as const)('%s with %j: none', (name, kinds) => {
    expect(wiringOf(name, kinds)).toBeUndefined();
  });
});

describe('variables read through a name bound to process.env', () => {
  it.each([
    ['const env = process.env;\nhost: env.DB_HOST, pass: env["DB_PASSWORD"]', ['DB_HOST', 'DB_PASSWORD']],
    ['let e = process.env || {};\ne.REDIS_URL', ['REDIS_URL']],
    ['const { env } = process;\nenv.API_KEY', ['API_KEY']],
    ["import { argv, env as vars } from 'node:process';\nvars.SMTP_HOST", ['SMTP_HOST']],
    ["const { DB_HOST, DB_PORT: port, DB_NAME = 'shop', ...rest } = process.env;", ['DB_HOST', 'DB_PORT', 'DB_NAME']],
    ['globalThis.process.env.LEGACY', ['LEGACY']],
  ])('%s', (code, names) => {
    expect(variablesRead(code)).toEqual(names);
  });

  it('reads nothing through a value of one variable, nor through another object of the same name', () => {
    expect(variablesRead('const env = process.env.NODE_ENV;\nenv.NOT_A_VARIABLE')).toEqual(['NODE_ENV']);
    expect(variablesRead('const env = process.env;\nconfig.env.OTHER; env.lower')).toEqual([]);
  });

  it('an app whose config module reads DB_* through `const env = process.env` gets them wired to its database', () => {
    const dir = path.join(mkdtempSync(path.join(work, 'gen-')), 'env-alias');
    cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/env-alias'), dir, { recursive: true });
    expect(detect(dir).env.map((v) => v.name)).toEqual(['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER', 'GREETING']);
    generate(dir, ['--existing', '--yes', '--skip-install', '--services', 'mysql']);
    expect(parseEnv(read(dir, 'secrets/app.env'))).toMatchObject({
      DB_HOST: 'mariadb',
      DB_NAME: 'app',
      DB_PASSWORD: read(dir, 'secrets/mariadb_password'),
      DB_PORT: '3306',
      DB_USER: 'app',
    });
  });
});

describe('a run with services', () => {
  it('a signing secret the app makes up itself, with no example value, gets a random one; an API key stays empty', () => {
    const dir = copy('express-redis');
    writeFileSync(path.join(dir, '.env.example'), 'COOKIE_SECRET=\nJWT_SECRET=\nSTRIPE_API_KEY=\nSESSION_SECRET=kept-from-example\n');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const env = parseEnv(read(dir, 'secrets/app.env'));
    expect(env.COOKIE_SECRET).toMatch(/^[\w-]{48}$/);
    expect(env.JWT_SECRET).toMatch(/^[\w-]{48}$/);
    expect(env.JWT_SECRET).not.toBe(env.COOKIE_SECRET);
    expect(env.STRIPE_API_KEY).toBe('');
    expect(env.SESSION_SECRET).toBe('kept-from-example');
    expect(read(dir, 'README.Docker.md')).toContain('`COOKIE_SECRET`, `JWT_SECRET` had no example value');
  });

  it("MySQL (mysql2): MariaDB on an internal network, its passwords generated, the app's DB_* variables in secrets/app.env", () => {
    const dir = copy('express-mysql');
    const { output } = generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(output).toMatch(/needs +MySQL \(mysql2\)/);
    const compose = composeOf(dir);
    expect(Object.keys(compose.services)).toEqual(['api', 'mariadb']);
    const db = compose.services.mariadb!;
    expect(db.image).toBe('mariadb:11');
    expect(db.ports).toBeUndefined();
    expect(db.networks).toEqual(['mariadb']);
    expect(compose.networks).toEqual({ mariadb: { internal: true } });
    expect(db.volumes).toEqual(['mariadb-data:/var/lib/mysql']);
    expect(Object.keys(compose.volumes ?? {})).toEqual(['mariadb-data']);
    expect(db.environment).toEqual({
      MARIADB_DATABASE: 'app',
      MARIADB_USER: 'app',
      MARIADB_PASSWORD_FILE: '/run/secrets/mariadb_password',
      MARIADB_ROOT_PASSWORD_FILE: '/run/secrets/mariadb_root_password',
    });
    expect((db.healthcheck as { test: string[] }).test).toEqual(['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized']);
    const api = compose.services.api!;
    expect(api.depends_on).toEqual({ mariadb: { condition: 'service_healthy' } });
    expect(api.networks).toEqual(['default', 'mariadb']);
    // The app mounts its env file only; the database's own passwords stay with the database.
    expect(api.secrets).toEqual(['app_env']);
    expect(api.environment).toBeUndefined();
    expect(compose.secrets).toEqual({
      app_env: { file: './secrets/app.env' },
      mariadb_password: { file: './secrets/mariadb_password' },
      mariadb_root_password: { file: './secrets/mariadb_root_password' },
    });

    const password = read(dir, 'secrets/mariadb_password');
    const root = read(dir, 'secrets/mariadb_root_password');
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(root).toMatch(/^[\w-]{24}$/);
    expect(root).not.toBe(password);
    expect(parseEnv(read(dir, 'secrets/app.env'))).toEqual({
      DB_HOST: 'mariadb',
      DB_NAME: 'app',
      DB_PASSWORD: password,
      DB_PORT: '3306',
      DB_USER: 'app',
    });
    expect(read(dir, 'Dockerfile')).toContain('--env-file-if-exists=/run/secrets/app_env');
    expect(statSync(path.join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(read(dir, '.gitignore')).toMatch(/^secrets\/$/m);
    const readme = read(dir, 'README.Docker.md');
    expect(readme).toContain('## The services beside it');
    expect(readme).toContain(
      'through its own\n  variables `DB_HOST`, `DB_NAME`, `DB_PASSWORD`, `DB_PORT`, `DB_USER`, set in `secrets/app.env`.',
    );
    expect(readme).not.toContain('## Services it needs');
    expect(readme).not.toContain("None of the app's variables");
    expect(readme).not.toContain('sslmode');
  });

  it('the container test, which runs the image without MariaDB, sets the variables that point at it empty', () => {
    const dir = copy('express-mysql');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const test = readdirSync(path.join(dir, 'test/container')).find((file) => /^container\.(?:e2e|test)\.[cm]?js$/.test(file))!;
    const text = read(dir, `test/container/${test}`);
    const block = /\.withEnvironment\(\{\n((?:\s+\w+: '',\n)+)\s+\}\)/.exec(text)?.[1];
    expect(block?.match(/\w+(?=: '')/g)).toEqual(['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
    // And none when no service is brought.
    const alone = copy('express-mysql');
    generate(alone, ['--existing', '--yes', '--skip-install', '--services', 'none']);
    expect(read(alone, `test/container/${test}`)).not.toContain(": '',");
  });

  it('PostgreSQL (pg): DATABASE_URL carries the generated password; a re-run keeps both files, and adds what app.env lacks', () => {
    const dir = copy('express-pg');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const password = read(dir, 'secrets/postgres_password');
    expect(parseEnv(read(dir, 'secrets/app.env')).DATABASE_URL).toBe(`postgres://app:${password}@postgres:5432/app?sslmode=disable`);
    expect(read(dir, 'README.Docker.md')).toContain('Its URL says `sslmode=disable`');
    const compose = composeOf(dir);
    expect(compose.services.postgres).toMatchObject({
      image: 'postgres:17',
      environment: { POSTGRES_USER: 'app', POSTGRES_DB: 'app', POSTGRES_PASSWORD_FILE: '/run/secrets/postgres_password' },
      volumes: ['postgres-data:/var/lib/postgresql/data'],
      networks: ['postgres'],
    });

    // The user's own line stays; a variable the app now reads is added with the same password.
    writeFileSync(path.join(dir, 'secrets/app.env'), 'DATABASE_URL=postgres://mine@elsewhere/db\n');
    writeFileSync(path.join(dir, '.env.example'), `${read(dir, '.env.example')}PGUSER=notes\n`);
    generate(dir, ['--existing', '--yes', '--skip-install', '--force']);
    expect(read(dir, 'secrets/postgres_password')).toBe(password);
    expect(parseEnv(read(dir, 'secrets/app.env'))).toEqual({ DATABASE_URL: 'postgres://mine@elsewhere/db', PGUSER: 'app' });
  });

  it('Redis (ioredis), known from the code alone: its password in its config file, REDIS_URL pointed at it', () => {
    const dir = copy('express-redis');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const config = read(dir, 'secrets/redis.conf');
    const password = /^requirepass (\S+)$/m.exec(config)?.[1];
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(config).toMatch(/^appendonly yes$/m);
    expect(parseEnv(read(dir, 'secrets/app.env'))).toEqual({ REDIS_URL: `redis://default:${password}@redis:6379` });
    const redis = composeOf(dir).services.redis!;
    expect(redis).toMatchObject({ image: 'redis:8', command: ['redis-server', '/run/secrets/redis_conf'], volumes: ['redis-data:/data'] });
    expect(JSON.stringify(redis)).not.toContain(password);
    const readme = read(dir, 'README.Docker.md');
    expect(readme).toContain('through its own\n  variable `REDIS_URL`, set in `secrets/app.env`.');
    expect(readme).not.toContain("None of the app's variables");
  });

  it('MongoDB: its fragment, and README.Docker.md says it is not run where the generator is tested', () => {
    const dir = copy('express-pg');
    generate(dir, ['--existing', '--yes', '--skip-install', '--services', 'mongodb,postgres']);
    const compose = composeOf(dir);
    expect(Object.keys(compose.services)).toEqual(['api', 'postgres', 'mongodb']);
    expect(compose.services.mongodb).toMatchObject({
      image: 'mongo:8',
      environment: {
        MONGO_INITDB_ROOT_USERNAME: 'app',
        MONGO_INITDB_ROOT_PASSWORD_FILE: '/run/secrets/mongodb_password',
        MONGO_INITDB_DATABASE: 'app',
      },
      volumes: ['mongodb-data:/data/db'],
      networks: ['mongodb'],
    });
    expect(compose.services.api!.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      mongodb: { condition: 'service_healthy' },
    });
    expect(compose.networks).toEqual({ postgres: { internal: true }, mongodb: { internal: true } });
    expect(read(dir, 'README.Docker.md')).toMatch(
      /checked by `docker compose config` only: no MongoDB image could be made\n\s+where this generator is tested/,
    );
    // Nothing of the app's names MongoDB: the README says where to point it.
    expect(read(dir, 'README.Docker.md')).toContain(
      'settings at mongodb:27017 (user `app`, database `app`, the password in `secrets/mongodb_password`)',
    );
    // DATABASE_URL names "the database": the SQL one, when there is one.
    expect(parseEnv(read(dir, 'secrets/app.env')).DATABASE_URL).toMatch(/^postgres:\/\//);
  });
});

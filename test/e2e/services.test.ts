/**
 * `--services` on the engine: three apps of our own (test/fixtures/services), on pg, mysql2
 * and ioredis, each containerized with `create-container-api --existing --yes` and nothing
 * more, then brought up by the compose.yaml the generator wrote (`docker compose up --build
 * --wait`) with the local stand-ins for postgres:17, mariadb:11 and redis:8. Each is proven
 * by what reaches the app through its own variables (the service's user answers its health
 * route; a write is read back after `docker compose down` and up again), and by what compose
 * says about the service (healthy, not published, alone with the app on an internal network,
 * no password in `docker inspect`). The projects are set up once, in beforeAll. MongoDB's
 * fragment cannot be run here (no image): `docker compose config` checks it.
 *
 * Run under the engine lock. Leaves the engine as it found it: every compose project is taken
 * down with its volumes, and the images built are removed.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/services');
const PREFIX = 'services-e2e';
const IMAGES = ['postgres:17', 'mariadb:11', 'redis:8'];

interface App {
  fixture: string;
  /** The compose service of the database or cache, and the secret file of its password. */
  service: string;
  passwordFile: string;
  /** What the health route says once the app reached the service through its variables. */
  health: Record<string, unknown>;
  /** A write and the read that must find it. */
  write: { path: string; body: unknown };
  read: { path: string; finds: (body: unknown) => boolean };
}

const APPS: readonly App[] = [
  {
    fixture: 'express-pg',
    service: 'postgres',
    passwordFile: 'secrets/postgres_password',
    health: { status: 'ok', user: 'app', database: 'app' },
    write: { path: '/notes', body: { body: 'kept on the volume' } },
    read: { path: '/notes', finds: (rows) => (rows as { body: string }[]).some((r) => r.body === 'kept on the volume') },
  },
  {
    fixture: 'express-mysql',
    service: 'mariadb',
    passwordFile: 'secrets/mariadb_password',
    health: { status: 'ok', user: 'app@%', database: 'app' },
    write: { path: '/orders', body: { item: 'kept on the volume' } },
    read: { path: '/orders', finds: (rows) => (rows as { item: string }[]).some((r) => r.item === 'kept on the volume') },
  },
  {
    fixture: 'express-redis',
    service: 'redis',
    passwordFile: 'secrets/redis.conf',
    health: { status: 'ok', redis: 'PONG' },
    write: { path: '/visits', body: {} },
    read: { path: '/visits', finds: (body) => (body as { visits: number }).visits >= 1 },
  },
];

interface Project {
  app: App;
  dir: string;
  name: string;
  port: number;
  env: NodeJS.ProcessEnv;
  up: { ok: boolean; output: string };
}

let work = '';
const projects = new Map<string, Project>();

/** A port nothing listens on now, for the project's published port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const compose = (p: Project, args: string[], allowFail = false) =>
  run('docker', ['compose', '-p', p.name, ...args], { cwd: p.dir, env: p.env, timeout: 10 * MINUTES, allowFail });
const inspect = (container: string, format: string) => run('docker', ['inspect', '-f', format, container]).stdout;
const containerOf = (p: Project, service: string) => compose(p, ['ps', '-aq', service]).stdout;
const logs = (p: Project) => compose(p, ['logs', '--no-color', '--tail', '60'], true).output;

/**
 * One request on a connection of its own (no keep-alive pool): the app is restarted between
 * requests, and a pooled socket to the old container would be closed under it.
 */
function http(p: Project, route: string, init?: { method: string; body: unknown }): Promise<{ status: number; body: unknown }> {
  const payload = init ? JSON.stringify(init.body) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: p.port,
        path: route,
        method: init?.method ?? 'GET',
        agent: false,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
          } catch {
            reject(new Error(`${route} answered ${res.statusCode} with no JSON: ${text.slice(0, 500)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  const missing = IMAGES.filter((image) => !run('docker', ['image', 'inspect', image], { allowFail: true }).ok);
  if (missing.length > 0)
    throw new Error(`${missing.join(', ')} not on this engine: run scripts/provision.sh (postgres-image, mariadb-image, redis-image)`);
  work = mkdtempSync(path.join(os.tmpdir(), `${PREFIX}-`));
  for (const app of APPS) {
    const dir = path.join(work, app.fixture);
    cpSync(path.join(FIXTURES, app.fixture), dir, { recursive: true });
    generate(dir, ['--existing', '--yes'], { timeout: 5 * MINUTES });
    const name = `${PREFIX}-${app.fixture}`;
    const port = await freePort();
    const env = { ...process.env, HOST_PORT: String(port), API_IMAGE: `${name}:latest` };
    const project: Project = { app, dir, name, port, env, up: { ok: false, output: '' } };
    const up = compose(project, ['up', '-d', '--build', '--wait', '--wait-timeout', '180'], true);
    project.up = { ok: up.ok, output: up.ok ? '' : `${up.output.slice(-3000)}\n${logs(project)}` };
    projects.set(app.fixture, project);
  }
}, 20 * MINUTES);

afterAll(() => {
  for (const p of projects.values()) {
    compose(p, ['down', '-v', '--remove-orphans'], true);
    run('docker', ['image', 'rm', '-f', `${p.name}:latest`], { allowFail: true });
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(APPS.map((app) => [app.fixture, app] as const))('%s, containerized with --existing --yes', (fixture, app) => {
  const project = () => {
    const p = projects.get(fixture)!;
    if (!p.up.ok) throw new Error(`docker compose up --wait failed:\n${p.up.output}`);
    return p;
  };

  it(`comes up healthy with ${app.service} beside it, and reaches it through its own variables`, async () => {
    const p = project();
    expect(inspect(containerOf(p, app.service), '{{.State.Health.Status}}')).toBe('healthy');
    expect(inspect(containerOf(p, 'api'), '{{.State.Health.Status}}')).toBe('healthy');
    const health = await http(p, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject(app.health);
  });

  it(`${app.service} is published nowhere and shares an internal network with the app only`, () => {
    const p = project();
    const db = containerOf(p, app.service);
    expect(inspect(db, '{{json .NetworkSettings.Ports}}')).not.toMatch(/HostPort/);
    const networks = Object.keys(JSON.parse(inspect(db, '{{json .NetworkSettings.Networks}}')) as object);
    expect(networks).toEqual([`${p.name}_${app.service}`]);
    const network = JSON.parse(run('docker', ['network', 'inspect', networks[0]!]).stdout)[0] as {
      Internal: boolean;
      Containers: Record<string, { Name: string }>;
    };
    expect(network.Internal).toBe(true);
    expect(
      Object.values(network.Containers)
        .map((c) => c.Name)
        .sort(),
    ).toEqual([`${p.name}-api-1`, `${p.name}-${app.service}-1`]);
  });

  it("its password, generated into a secret file, is in no container's configuration", () => {
    const p = project();
    const text = readFileSync(path.join(p.dir, app.passwordFile), 'utf8');
    const password = /^requirepass (\S+)$/m.exec(text)?.[1] ?? text.trim();
    expect(password).toMatch(/^[\w-]{24}$/);
    for (const service of ['api', app.service]) {
      expect(run('docker', ['inspect', containerOf(p, service)]).stdout).not.toContain(password);
    }
  });

  it(
    'keeps what was written through `docker compose down` and up again, then stops with exit code 0',
    async () => {
      const p = project();
      const written = await http(p, app.write.path, { method: 'POST', body: app.write.body });
      expect(written.status).toBe(201);
      compose(p, ['down']);
      compose(p, ['up', '-d', '--wait', '--wait-timeout', '180']);
      const read = await http(p, app.read.path);
      expect(read.status).toBe(200);
      expect(app.read.finds(read.body)).toBe(true);

      const api = containerOf(p, 'api');
      run('docker', ['stop', api]);
      expect(inspect(api, '{{.State.ExitCode}}')).toBe('0');
    },
    6 * MINUTES,
  );
});

describe('MongoDB, which no image here can run', () => {
  it('gets a fragment that `docker compose config` takes: image, secret, volume, internal network, depends_on healthy', () => {
    const dir = path.join(work, 'mongodb');
    cpSync(path.join(FIXTURES, 'express-pg'), dir, { recursive: true });
    generate(dir, ['--existing', '--yes', '--skip-install', '--services', 'mongodb']);
    const config = JSON.parse(run('docker', ['compose', '-p', `${PREFIX}-mongodb`, 'config', '--format', 'json'], { cwd: dir }).stdout) as {
      services: Record<string, { image?: string; depends_on?: object; networks?: object; healthcheck?: { test: string[] } }>;
      networks: Record<string, { internal?: boolean }>;
    };
    expect(config.services.mongodb?.image).toBe('mongo:8');
    expect(config.services.mongodb?.healthcheck?.test[0]).toBe('CMD');
    expect(config.services.api?.depends_on).toMatchObject({ mongodb: { condition: 'service_healthy' } });
    expect(Object.keys(config.services.mongodb?.networks ?? {})).toEqual(['mongodb']);
    expect(config.networks.mongodb?.internal).toBe(true);
  });
});

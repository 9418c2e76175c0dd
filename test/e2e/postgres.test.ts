/**
 * A `--persistence postgres` project run the way its README says: `docker compose up --build`
 * brings up the api and its db service, the items survive `docker compose down && docker compose
 * up`, and the api meets a database that goes away with 503 (never 500) and recovers on its own.
 * One generated project and one image serve every test here (beforeAll).
 *
 * Leaves the engine as it found it: `docker compose down -v` removes the containers, the
 * network and the volume, and the api image is removed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { MINUTES, run, SECONDS, type RunOptions } from '../support/run.js';
import { waitFor as waitUntil } from '../support/wait.js';

const NAME = 'pg-e2e';
/** compose project, image and port of this suite's own, so nothing clashes with other runs. */
const PROJECT = 'pge2e';
const IMAGE = 'pge2e-api:latest';
const PORT = 18312;
const BASE = `http://127.0.0.1:${PORT}`;

let work = '';
let project = '';
let token = '';

const env = (): NodeJS.ProcessEnv => ({ ...process.env, COMPOSE_PROJECT_NAME: PROJECT, HOST_PORT: String(PORT), API_IMAGE: IMAGE });
const compose = (args: string[], options: RunOptions = {}) =>
  run('docker', ['compose', ...args], { cwd: project, env: env(), timeout: 10 * MINUTES, ...options });
/** The full id of a service's container. */
const containerOf = (service: string) => run('docker', ['inspect', '-f', '{{.Id}}', compose(['ps', '-q', service]).stdout]).stdout;

/** waitFor with the services' last log lines as its evidence, checking every 250 ms. */
const waitFor = <T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>) =>
  waitUntil(what, timeoutMs, check, {
    every: 250,
    evidence: () => compose(['logs', '--no-color', '--tail', '40'], { allowFail: true }).output,
  });

const get = (route: string) => fetch(`${BASE}${route}`, { signal: AbortSignal.timeout(10 * SECONDS) });
const post = (name: string) =>
  fetch(`${BASE}/items`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
    signal: AbortSignal.timeout(10 * SECONDS),
  });
/** Every item's name, page by page. */
async function names(): Promise<string[]> {
  const all: string[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = (await (await get(`/items?limit=100&offset=${offset}`)).json()) as { items: { name: string }[]; total: number };
    all.push(...page.items.map((item) => item.name));
    if (offset + 100 >= page.total) return all;
  }
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), `${PROJECT}-`));
  project = path.join(work, NAME);
  // As a user runs it: `npm create container-api@latest pg-e2e -- --yes --persistence postgres`.
  generate(project, ['--yes', '--persistence', 'postgres'], { timeout: 10 * MINUTES });
  token = readFileSync(path.join(project, 'secrets/api_token'), 'utf8').trim();
  compose(['up', '--build', '--detach', '--wait']);
}, 15 * MINUTES);

afterAll(() => {
  if (project) compose(['down', '--volumes', '--timeout', '20'], { allowFail: true });
  run('docker', ['image', 'rm', '-f', IMAGE], { allowFail: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('--persistence postgres, with its own compose.yaml', () => {
  test(
    'the project type-checks, lints and passes its unit tests',
    () => {
      for (const script of ['typecheck', 'lint', 'test:unit']) run('npm', ['run', script], { cwd: project, timeout: 5 * MINUTES });
    },
    10 * MINUTES,
  );

  test(
    'its store and migration tests pass on postgres:17 started by Testcontainers, through its container suite',
    () => {
      const result = run('npm', ['run', 'test:container', '--', 'test/container/store.test.ts'], { cwd: project, timeout: 10 * MINUTES });
      expect(result.output).toMatch(/Tests:\s+5 passed, 5 total/);
    },
    15 * MINUTES,
  );

  test('the db service is on postgres:17, unpublished, on an internal network shared only with the api', () => {
    const db = containerOf('db');
    const api = containerOf('api');
    expect(run('docker', ['inspect', '-f', '{{.Config.Image}}', db]).stdout).toBe('postgres:17');
    expect(run('docker', ['port', db]).stdout).toBe('');
    const network = `${PROJECT}_db`;
    expect(run('docker', ['network', 'inspect', '-f', '{{.Internal}}', network]).stdout).toBe('true');
    const members = run('docker', ['network', 'inspect', '-f', '{{range $id, $c := .Containers}}{{$id}} {{end}}', network]).stdout.split(
      ' ',
    );
    expect(members.sort()).toEqual([api, db].sort());
    // Neither the image nor compose hands the password over as a variable.
    const apiEnv = run('docker', ['inspect', '-f', '{{json .Config.Env}}', api]).stdout;
    expect(apiEnv).toContain('DATABASE_PASSWORD_FILE=/run/secrets/db_password');
    expect(apiEnv).not.toMatch(/DATABASE_PASSWORD=|POSTGRES_PASSWORD=/);
    expect(run('docker', ['inspect', '-f', '{{json .Config.Env}}', db]).stdout).not.toContain('POSTGRES_PASSWORD=');
  });

  test(
    'serves; after `docker compose down && docker compose up` the items are still there',
    async () => {
      for (const name of ['first', 'second', 'third']) expect((await post(name)).status).toBe(201);
      compose(['down']);
      compose(['up', '--detach', '--wait']);
      // The client's kept-alive connection went with the old containers: the first call may fail.
      await waitFor('GET /items to answer 200', 1 * MINUTES, async () => ((await get('/items')).status === 200 ? true : undefined));
      expect(await names()).toEqual(expect.arrayContaining(['first', 'second', 'third']));
    },
    5 * MINUTES,
  );

  test(
    'db stopped and started: 503 in the error shape with Retry-After, then 2xx, in the same api container',
    async () => {
      const api = containerOf('api');
      compose(['stop', 'db']);
      const outage = await waitFor('503 from GET /items', 1 * MINUTES, async () => {
        const response = await get('/items');
        return response.status === 503 ? response : undefined;
      });
      expect(outage.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await outage.json()) as { error: { code: string } }).error.code).toBe('store_unreachable');
      expect((await post('during the outage')).status).toBe(503);
      expect((await get('/health/ready')).status).toBe(503);
      expect((await get('/health/live')).status).toBe(200);

      compose(['start', 'db']);
      await waitFor('GET /items to answer 200 again', 2 * MINUTES, async () => ((await get('/items')).status === 200 ? true : undefined));
      expect((await post('after the outage')).status).toBe(201);
      expect(containerOf('api')).toBe(api);
      expect(run('docker', ['inspect', '-f', '{{.RestartCount}}', api]).stdout).toBe('0');
      expect(await names()).toEqual(expect.arrayContaining(['first', 'after the outage']));
    },
    5 * MINUTES,
  );

  test(
    'api SIGKILLed during a write burst, then db SIGKILLed: every acknowledged write is still there',
    async () => {
      const acknowledged: string[] = [];
      let stop = false;
      const burst = (async () => {
        for (let i = 0; !stop; i++) {
          try {
            if ((await post(`burst-${i}`)).status === 201) acknowledged.push(`burst-${i}`);
          } catch {
            // The api is gone: the write was not acknowledged.
          }
        }
      })();
      await waitFor('50 acknowledged writes', 1 * MINUTES, async () => (acknowledged.length >= 50 ? true : undefined));
      run('docker', ['kill', '--signal', 'KILL', containerOf('api')]);
      stop = true;
      await burst;
      run('docker', ['kill', '--signal', 'KILL', containerOf('db')]);

      compose(['up', '--detach', '--wait']);
      await waitFor('GET /items to answer 200', 2 * MINUTES, async () => ((await get('/items')).status === 200 ? true : undefined));
      const stored = new Set(await names());
      expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    },
    5 * MINUTES,
  );
});

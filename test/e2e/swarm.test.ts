/**
 * The generated project deploys to Docker Swarm with its own files (compose.yaml plus
 * compose.swarm.yaml), keeps its data in the stack's volume, takes writes with the token
 * from the swarm secret, and rolls out a new image while a client keeps calling, with zero
 * failed requests. Single-node swarm; host-mode ports (no IPVS here, so no ingress mesh).
 * Two projects: the default one (SQLite, pinned to one replica) and a `--persistence postgres`
 * one, whose two api replicas share one db task through the rollout.
 *
 * Leaves the engine as it found it: the stacks, their secrets, volumes, networks and the
 * images are removed, and the swarm is left again if this test created it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { MINUTES, run, SECONDS, type RunOptions } from '../support/run.js';
import { waitFor } from '../support/wait.js';

/** One generated project deployed as one stack, with its own names and host ports. */
interface Stack {
  /** The project's name: its directory, image and the slug its swarm secret is named by. */
  name: string;
  stack: string;
  /** The edge's host port; the api's own compose.yaml mapping is moved out of its way. */
  edgePort: number;
  meshPort: number;
  /** The compose files `docker stack deploy` gets, in order. */
  files: string[];
  /** The named volumes the stack declares, removed with it. */
  volumes: string[];
  project: string;
  token: string;
}

const SQLITE: Stack = {
  name: 'swarm-e2e',
  stack: 'swarme2e',
  edgePort: 18093,
  meshPort: 28093,
  files: ['compose.yaml', 'compose.swarm.yaml'],
  volumes: ['data'],
  project: '',
  token: '',
};
const POSTGRES: Stack = {
  name: 'swarm-pg-e2e',
  stack: 'swarmpge2e',
  edgePort: 18094,
  meshPort: 28094,
  // The whole stack in one file: swarm's loader refuses compose.yaml's depends_on conditions.
  files: ['compose.swarm.yaml'],
  volumes: ['db-data'],
  project: '',
  token: '',
};
/** Upper bounds for the client that runs through a rollout. */
const CLIENT_MAX_REQUESTS = 20_000;
const CLIENT_MAX_MS = 4 * MINUTES;

let work = '';
let joinedSwarm = false;
/** `swarm init` creates the docker_gwbridge network and `swarm leave` keeps it. */
let gwbridgeExisted = true;

const docker = (args: string[], options: RunOptions = {}) => run('docker', args, options);

const base = (s: Stack) => `http://127.0.0.1:${s.edgePort}`;

function stackEnv(s: Stack, tag: string): NodeJS.ProcessEnv {
  return { ...process.env, IMAGE_TAG: tag, EDGE_PORT: String(s.edgePort), HOST_PORT: String(s.meshPort) };
}

const deployArgs = (s: Stack) => ['stack', 'deploy', '--detach=true', ...s.files.flatMap((file) => ['-c', file]), s.stack];

function replicas(s: Stack, service: string): string {
  return (
    docker(['service', 'ls', '--filter', `name=${s.stack}_${service}`, '--format', '{{.Name}} {{.Replicas}}'])
      .stdout.split('\n')
      .find((line) => line.startsWith(`${s.stack}_${service} `))
      ?.split(' ')[1] ?? ''
  );
}

/** The services' tasks and their last log lines, for a wait that timed out. */
const evidence = (s: Stack) => () =>
  ['api', 'db', 'edge']
    .map((service) => `${s.stack}_${service}`)
    .map((service) => {
      const tasks = docker(['service', 'ps', '--no-trunc', service], { allowFail: true }).output;
      const logs = docker(['service', 'logs', '--no-task-ids', '--tail', '20', service], { allowFail: true }).output;
      return `--- ${service}\n${tasks}\n${logs}`;
    })
    .join('\n');

async function ready(s: Stack): Promise<boolean | undefined> {
  const response = await fetch(`${base(s)}/health/ready`, { signal: AbortSignal.timeout(3 * SECONDS) });
  return response.status === 200 ? true : undefined;
}

function runningImages(s: Stack): string[] {
  return docker(['service', 'ps', `${s.stack}_api`, '--filter', 'desired-state=running', '--format', '{{.Image}} {{.CurrentState}}'])
    .stdout.split('\n')
    .filter((line) => / Running /.test(line))
    .map((line) => line.split(' ')[0]!);
}

function authorized(s: Stack, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' } };
}

/** Generates the project as a user does, and builds it as two image tags. */
function generateAndBuild(s: Stack, flags: string[]): void {
  s.project = path.join(work, s.name);
  generate(s.project, ['--yes', '--name', s.name, ...flags], { timeout: 10 * MINUTES });
  s.token = readFileSync(path.join(s.project, 'secrets/api_token'), 'utf8').trim();
  docker(['buildx', 'build', '--load', '-t', `${s.name}:v1`, '.'], { cwd: s.project, timeout: 15 * MINUTES });
  // v2 differs from v1 by a label only: a new image ID is all a rollout needs.
  docker(['buildx', 'build', '--load', '--label', 'org.opencontainers.image.version=v2', '-t', `${s.name}:v2`, '.'], {
    cwd: s.project,
    timeout: 15 * MINUTES,
  });
  expect(docker(['image', 'inspect', '-f', '{{.Id}}', `${s.name}:v1`]).stdout).not.toBe(
    docker(['image', 'inspect', '-f', '{{.Id}}', `${s.name}:v2`]).stdout,
  );
}

interface Rollout {
  succeeded: number;
  failures: string[];
  /** Every write the api answered 201 to: its id and the name it was sent. */
  acknowledged: { id: string; name: string }[];
}

/**
 * Rolls the api out to v2, as a user starts it (the same command with a new tag), while a
 * client keeps reading `readId` and writing every fifth request, and waits for the update
 * to end; it must end `completed`, not rolled back.
 */
async function rollOut(s: Stack, readId: string): Promise<Rollout> {
  let rolloutDone = false;
  const result: Rollout = { succeeded: 0, failures: [], acknowledged: [] };
  const started = Date.now();

  const client = (async () => {
    let rolloutDoneAt = 0;
    for (let n = 1; n <= CLIENT_MAX_REQUESTS && Date.now() - started < CLIENT_MAX_MS; n++) {
      if (rolloutDone && !rolloutDoneAt) rolloutDoneAt = Date.now();
      // Keep going a little after the rollout, while the old task finishes shutting down.
      if (rolloutDoneAt && Date.now() - rolloutDoneAt > 5 * SECONDS) break;
      const write = n % 5 === 0;
      const name = `during-${n}`;
      try {
        const response = write
          ? await fetch(
              `${base(s)}/items`,
              authorized(s, { method: 'POST', body: JSON.stringify({ name }), signal: AbortSignal.timeout(20 * SECONDS) }),
            )
          : await fetch(`${base(s)}/items/${readId}`, { signal: AbortSignal.timeout(20 * SECONDS) });
        const body = await response.arrayBuffer();
        if (response.status === (write ? 201 : 200)) {
          result.succeeded++;
          if (write) result.acknowledged.push({ id: (JSON.parse(Buffer.from(body).toString()) as { id: string }).id, name });
        } else result.failures.push(`${write ? 'POST' : 'GET'} -> ${response.status}`);
      } catch (error) {
        result.failures.push(`${write ? 'POST' : 'GET'} -> ${String((error as { cause?: { code?: string } }).cause?.code ?? error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  const deploy = spawn('docker', deployArgs(s), { cwd: s.project, env: stackEnv(s, 'v2'), stdio: 'ignore' });
  try {
    await new Promise<void>((resolve, reject) => {
      deploy.on('error', reject);
      deploy.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker stack deploy exited ${code}`))));
    });
    const state = await waitFor(
      'the api update to finish',
      3 * MINUTES,
      () => {
        const status = docker(['service', 'inspect', '-f', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}', `${s.stack}_api`]).stdout;
        return ['completed', 'rollback_completed', 'paused', 'rollback_paused'].includes(status) ? status : undefined;
      },
      { evidence: evidence(s) },
    );
    expect(state).toBe('completed');
  } finally {
    rolloutDone = true;
    await client;
  }
  const seconds = ((Date.now() - started) / SECONDS).toFixed(1);
  console.log(`${s.stack} rollout v1 -> v2: ${result.succeeded} requests succeeded, ${result.failures.length} failed, in ${seconds} s`);
  return result;
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'swarm-e2e-'));
  const state = docker(['info', '--format', '{{.Swarm.LocalNodeState}}']).stdout;
  if (state === 'inactive') {
    gwbridgeExisted = docker(['network', 'ls', '--format', '{{.Name}}']).stdout.split('\n').includes('docker_gwbridge');
    docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    joinedSwarm = true;
  } else if (state !== 'active') {
    throw new Error(`The engine's swarm state is "${state}"; this test needs "inactive" or "active".`);
  }
});

/** Removes a stack and what `stack rm` leaves behind: its volumes, its named secret, its images. */
async function removeStack(s: Stack): Promise<void> {
  docker(['stack', 'rm', s.stack], { allowFail: true });
  // stack rm returns before the containers are gone; the volume can go only after them.
  await waitFor('the stack containers to stop', 2 * MINUTES, () =>
    docker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${s.stack}`]).stdout === '' ? true : undefined,
  ).catch(() => undefined);
  await waitFor('the stack network to go', MINUTES, () =>
    docker(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${s.stack}`]).stdout === '' ? true : undefined,
  ).catch(() => undefined);
  docker(['volume', 'rm', ...s.volumes.map((volume) => `${s.stack}_${volume}`)], { allowFail: true });
  docker(['secret', 'rm', `${s.name}_api_token_v1`], { allowFail: true });
  docker(['image', 'rm', `${s.name}:v1`, `${s.name}:v2`], { allowFail: true });
}

afterAll(async () => {
  // Each describe removes its own stack; this is for a run that stopped early.
  await removeStack(SQLITE);
  await removeStack(POSTGRES);
  if (joinedSwarm) {
    docker(['swarm', 'leave', '--force'], { allowFail: true });
    if (!gwbridgeExisted) docker(['network', 'rm', 'docker_gwbridge'], { allowFail: true });
  }
  if (work) rmSync(work, { recursive: true, force: true });
}, 5 * MINUTES);

describe('a generated project on a single-node Docker Swarm', () => {
  const s = SQLITE;
  let itemId = '';
  // Gone before the next stack deploys: two cores are few for two rollouts' worth of tasks.
  afterAll(() => removeStack(s), 3 * MINUTES);

  it('is generated, installed, and built as two image tags', () => generateAndBuild(s, []), 30 * MINUTES);

  it(
    'deploys with docker stack deploy and answers through the edge',
    async () => {
      const deployed = docker(deployArgs(s), { cwd: s.project, env: stackEnv(s, 'v1') });
      // The keys of compose.yaml that swarm has no use for are named, not silently dropped.
      expect(deployed.output).toMatch(/Ignoring unsupported options: build/);
      await waitFor('api and edge to run 1/1', 3 * MINUTES, () =>
        replicas(s, 'api') === '1/1' && replicas(s, 'edge') === '1/1' ? true : undefined,
      );
      await waitFor('GET /health/ready through the edge', 2 * MINUTES, () => ready(s));
      expect(runningImages(s)).toEqual([`${s.name}:v1`]);
    },
    6 * MINUTES,
  );

  it('takes a write with the token from the swarm secret and reads it back', async () => {
    const refused = await fetch(`${base(s)}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
    expect(refused.status).toBe(401);
    const created = await fetch(`${base(s)}/items`, authorized(s, { method: 'POST', body: JSON.stringify({ name: 'survivor' }) }));
    expect(created.status).toBe(201);
    itemId = ((await created.json()) as { id: string }).id;
    const read = await fetch(`${base(s)}/items/${itemId}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: itemId, name: 'survivor' });
  });

  it(
    'rolls out v2 while a client keeps calling, with zero failed requests',
    async () => {
      const { failures, succeeded } = await rollOut(s, itemId);
      expect(failures).toEqual([]);
      expect(succeeded).toBeGreaterThan(100);
      expect(runningImages(s)).toEqual([`${s.name}:v2`]);
    },
    8 * MINUTES,
  );

  it('kept the data in the stack volume across the rollout', async () => {
    const read = await fetch(`${base(s)}/items/${itemId}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: itemId, name: 'survivor' });
    const list = (await (await fetch(`${base(s)}/items?limit=1`)).json()) as { total: number };
    expect(list.total).toBeGreaterThan(1);
  });
});

describe('a --persistence postgres project on a single-node Docker Swarm', () => {
  const s = POSTGRES;
  let itemId = '';
  let acknowledged: Rollout['acknowledged'] = [];
  afterAll(() => removeStack(s), 3 * MINUTES);

  /** The ids of the running api tasks' containers (one node, so all are local). */
  const apiContainers = () =>
    docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${s.stack}_api`, '--filter', 'status=running'])
      .stdout.split('\n')
      .filter(Boolean);
  /** GET a path from inside one api container, past the edge: which replica answers is then known. */
  const getInside = (container: string, route: string) =>
    JSON.parse(
      docker([
        'exec',
        container,
        'node',
        '--eval',
        `fetch('http://127.0.0.1:' + (process.env.PORT ?? 3000) + ${JSON.stringify(route)}).then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.json() })))`,
      ]).stdout,
    ) as { status: number; body: { id?: string; name?: string } };

  it(
    'is generated with --yes --persistence postgres, installed, and built as two image tags',
    () => generateAndBuild(s, ['--persistence', 'postgres']),
    30 * MINUTES,
  );

  it(
    'deploys two api replicas and one db task, and answers through the edge',
    async () => {
      // Swarm ignores depends_on: the api tasks may start before the database takes connections,
      // and their startup backoff (not compose's service_healthy) carries them until it does.
      const deployed = docker(deployArgs(s), { cwd: s.project, env: stackEnv(s, 'v1') });
      // Written for swarm, the file has no key that stack deploy would drop.
      expect(deployed.output).not.toMatch(/Ignoring unsupported options/);
      await waitFor(
        'api 2/2, db 1/1 and edge 1/1',
        4 * MINUTES,
        () => (replicas(s, 'api') === '2/2' && replicas(s, 'db') === '1/1' && replicas(s, 'edge') === '1/1' ? true : undefined),
        { evidence: evidence(s) },
      );
      await waitFor('GET /health/ready through the edge', 2 * MINUTES, () => ready(s), { evidence: evidence(s) });
      expect(runningImages(s)).toEqual([`${s.name}:v1`, `${s.name}:v1`]);
      // The database is reached over the stack's internal network only: swarm publishes no port for it.
      expect(docker(['service', 'inspect', '-f', '{{json .Endpoint.Ports}}', `${s.stack}_db`]).stdout).toMatch(/^(null|\[\])$/);
    },
    8 * MINUTES,
  );

  it('takes a write through the edge that each replica reads from the one database', async () => {
    const created = await fetch(`${base(s)}/items`, authorized(s, { method: 'POST', body: JSON.stringify({ name: 'shared' }) }));
    expect(created.status).toBe(201);
    itemId = ((await created.json()) as { id: string }).id;
    const containers = apiContainers();
    expect(containers).toHaveLength(2);
    for (const container of containers) {
      expect(getInside(container, `/items/${itemId}`)).toEqual({
        status: 200,
        body: expect.objectContaining({ id: itemId, name: 'shared' }),
      });
    }
  });

  it(
    'rolls out v2 across both replicas while a client keeps calling, with zero failed requests',
    async () => {
      const rollout = await rollOut(s, itemId);
      acknowledged = rollout.acknowledged;
      expect(rollout.failures).toEqual([]);
      expect(rollout.succeeded).toBeGreaterThan(100);
      expect(acknowledged.length).toBeGreaterThan(20);
      expect(runningImages(s)).toEqual([`${s.name}:v2`, `${s.name}:v2`]);
    },
    10 * MINUTES,
  );

  it('has every acknowledged write readable after the rollout, from both new replicas', async () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    const containers = apiContainers();
    expect(containers).toHaveLength(2);
    for (const { id, name } of acknowledged) {
      const read = await fetch(`${base(s)}/items/${id}`, { signal: AbortSignal.timeout(10 * SECONDS) });
      expect({ id, status: read.status }).toEqual({ id, status: 200 });
      expect(await read.json()).toMatchObject({ id, name });
    }
    // The edge spreads those reads over both tasks; asking each one directly leaves no doubt.
    const last = acknowledged.at(-1)!;
    for (const container of containers) {
      expect(getInside(container, `/items/${last.id}`)).toEqual({ status: 200, body: expect.objectContaining(last) });
    }
    const list = (await (await fetch(`${base(s)}/items?limit=1`)).json()) as { total: number };
    expect(list.total).toBe(acknowledged.length + 1);
  });
});

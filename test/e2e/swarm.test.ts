/**
 * The generated project deploys to Docker Swarm with its own files (compose.yaml plus
 * compose.swarm.yaml), keeps its data in the stack's volume, takes writes with the token
 * from the swarm secret, and rolls out a new image while a client keeps calling, with zero
 * failed requests. Single-node swarm; host-mode ports (no IPVS here, so no ingress mesh).
 *
 * Leaves the engine as it found it: the stack, its secret, volume, network and the images
 * are removed, and the swarm is left again if this test created it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { MINUTES, run, SECONDS, type RunOptions } from '../support/run.js';
import { waitFor } from '../support/wait.js';

const NAME = 'swarm-e2e';
const STACK = 'swarme2e';
const IMAGE = NAME;
/** The edge's host port; the api's own compose.yaml mapping is moved out of its way. */
const EDGE_PORT = 18093;
const MESH_PORT = 28093;
const BASE = `http://127.0.0.1:${EDGE_PORT}`;
/** Upper bounds for the client that runs through the rollout. */
const CLIENT_MAX_REQUESTS = 20_000;
const CLIENT_MAX_MS = 4 * MINUTES;

let work = '';
let project = '';
let joinedSwarm = false;
/** `swarm init` creates the docker_gwbridge network and `swarm leave` keeps it. */
let gwbridgeExisted = true;
let token = '';

const docker = (args: string[], options: RunOptions = {}) => run('docker', args, options);

function stackEnv(tag: string): NodeJS.ProcessEnv {
  return { ...process.env, IMAGE_TAG: tag, EDGE_PORT: String(EDGE_PORT), HOST_PORT: String(MESH_PORT) };
}

const deployArgs = ['stack', 'deploy', '--detach=true', '-c', 'compose.yaml', '-c', 'compose.swarm.yaml', STACK];

function replicas(service: string): string {
  return (
    docker(['service', 'ls', '--filter', `name=${STACK}_${service}`, '--format', '{{.Name}} {{.Replicas}}'])
      .stdout.split('\n')
      .find((line) => line.startsWith(`${STACK}_${service} `))
      ?.split(' ')[1] ?? ''
  );
}

async function ready(): Promise<boolean | undefined> {
  const response = await fetch(`${BASE}/health/ready`, { signal: AbortSignal.timeout(3 * SECONDS) });
  return response.status === 200 ? true : undefined;
}

function runningImages(): string[] {
  return docker(['service', 'ps', `${STACK}_api`, '--filter', 'desired-state=running', '--format', '{{.Image}} {{.CurrentState}}'])
    .stdout.split('\n')
    .filter((line) => / Running /.test(line))
    .map((line) => line.split(' ')[0]!);
}

function authorized(init: RequestInit = {}): RequestInit {
  return { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
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

afterAll(async () => {
  docker(['stack', 'rm', STACK], { allowFail: true });
  // stack rm returns before the containers are gone; the volume can go only after them.
  await waitFor('the stack containers to stop', 2 * MINUTES, () =>
    docker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${STACK}`]).stdout === '' ? true : undefined,
  ).catch(() => undefined);
  await waitFor('the stack network to go', MINUTES, () =>
    docker(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]).stdout === '' ? true : undefined,
  ).catch(() => undefined);
  docker(['volume', 'rm', `${STACK}_data`], { allowFail: true });
  docker(['secret', 'rm', `${IMAGE}_api_token_v1`], { allowFail: true });
  docker(['image', 'rm', `${IMAGE}:v1`, `${IMAGE}:v2`], { allowFail: true });
  if (joinedSwarm) {
    docker(['swarm', 'leave', '--force'], { allowFail: true });
    if (!gwbridgeExisted) docker(['network', 'rm', 'docker_gwbridge'], { allowFail: true });
  }
  if (work) rmSync(work, { recursive: true, force: true });
}, 5 * MINUTES);

describe('a generated project on a single-node Docker Swarm', () => {
  let itemId = '';

  it(
    'is generated, installed, and built as two image tags',
    () => {
      project = path.join(work, NAME);
      generate(project, ['--yes', '--name', NAME], { timeout: 10 * MINUTES });
      token = readFileSync(path.join(project, 'secrets/api_token'), 'utf8').trim();
      docker(['buildx', 'build', '--load', '-t', `${IMAGE}:v1`, '.'], { cwd: project, timeout: 15 * MINUTES });
      // v2 differs from v1 by a label only: a new image ID is all a rollout needs.
      docker(['buildx', 'build', '--load', '--label', 'org.opencontainers.image.version=v2', '-t', `${IMAGE}:v2`, '.'], {
        cwd: project,
        timeout: 15 * MINUTES,
      });
      expect(docker(['image', 'inspect', '-f', '{{.Id}}', `${IMAGE}:v1`]).stdout).not.toBe(
        docker(['image', 'inspect', '-f', '{{.Id}}', `${IMAGE}:v2`]).stdout,
      );
    },
    30 * MINUTES,
  );

  it(
    'deploys with docker stack deploy and answers through the edge',
    async () => {
      const deployed = docker(deployArgs, { cwd: project, env: stackEnv('v1') });
      // The keys of compose.yaml that swarm has no use for are named, not silently dropped.
      expect(deployed.output).toMatch(/Ignoring unsupported options: build/);
      await waitFor('api and edge to run 1/1', 3 * MINUTES, () =>
        replicas('api') === '1/1' && replicas('edge') === '1/1' ? true : undefined,
      );
      await waitFor('GET /health/ready through the edge', 2 * MINUTES, ready);
      expect(runningImages()).toEqual([`${IMAGE}:v1`]);
    },
    6 * MINUTES,
  );

  it('takes a write with the token from the swarm secret and reads it back', async () => {
    const refused = await fetch(`${BASE}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(refused.status).toBe(401);
    const created = await fetch(`${BASE}/items`, authorized({ method: 'POST', body: JSON.stringify({ name: 'survivor' }) }));
    expect(created.status).toBe(201);
    itemId = ((await created.json()) as { id: string }).id;
    const read = await fetch(`${BASE}/items/${itemId}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: itemId, name: 'survivor' });
  });

  it(
    'rolls out v2 while a client keeps calling, with zero failed requests',
    async () => {
      let rolloutDone = false;
      const failures: string[] = [];
      let succeeded = 0;
      const started = Date.now();

      const client = (async () => {
        let rolloutDoneAt = 0;
        for (let n = 1; n <= CLIENT_MAX_REQUESTS && Date.now() - started < CLIENT_MAX_MS; n++) {
          if (rolloutDone && !rolloutDoneAt) rolloutDoneAt = Date.now();
          // Keep going a little after the rollout, while the old task finishes shutting down.
          if (rolloutDoneAt && Date.now() - rolloutDoneAt > 5 * SECONDS) break;
          const write = n % 5 === 0;
          try {
            const response = write
              ? await fetch(
                  `${BASE}/items`,
                  authorized({ method: 'POST', body: JSON.stringify({ name: `during-${n}` }), signal: AbortSignal.timeout(20 * SECONDS) }),
                )
              : await fetch(`${BASE}/items/${itemId}`, { signal: AbortSignal.timeout(20 * SECONDS) });
            await response.arrayBuffer();
            if (response.status === (write ? 201 : 200)) succeeded++;
            else failures.push(`${write ? 'POST' : 'GET'} -> ${response.status}`);
          } catch (error) {
            failures.push(`${write ? 'POST' : 'GET'} -> ${String((error as { cause?: { code?: string } }).cause?.code ?? error)}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();

      // The rollout, as a user starts it: the same command with a new tag.
      const deploy = spawn('docker', deployArgs, { cwd: project, env: stackEnv('v2'), stdio: 'ignore' });
      await new Promise<void>((resolve, reject) => {
        deploy.on('error', reject);
        deploy.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker stack deploy exited ${code}`))));
      });
      try {
        const state = await waitFor('the api update to finish', 3 * MINUTES, () => {
          const status = docker(['service', 'inspect', '-f', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}', `${STACK}_api`]).stdout;
          return ['completed', 'rollback_completed', 'paused', 'rollback_paused'].includes(status) ? status : undefined;
        });
        expect(state).toBe('completed');
      } finally {
        rolloutDone = true;
        await client;
      }
      const seconds = ((Date.now() - started) / SECONDS).toFixed(1);
      console.log(`rollout v1 -> v2: ${succeeded} requests succeeded, ${failures.length} failed, in ${seconds} s`);

      expect(failures).toEqual([]);
      expect(succeeded).toBeGreaterThan(100);
      expect(runningImages()).toEqual([`${IMAGE}:v2`]);
    },
    8 * MINUTES,
  );

  it('kept the data in the stack volume across the rollout', async () => {
    const read = await fetch(`${BASE}/items/${itemId}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: itemId, name: 'survivor' });
    const list = (await (await fetch(`${BASE}/items?limit=1`)).json()) as { total: number };
    expect(list.total).toBeGreaterThan(1);
  });
});

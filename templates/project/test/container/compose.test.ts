/**
 * `docker compose up` of the project's own compose.yaml, through testcontainers' compose
 * support: the service becomes healthy and serves<%- token ? ' with its secret' : '' %><%- sqlite ? ' and its named volume' : '' %>.
 */
<%_ if (token) { _%>
import { readFileSync } from 'node:fs';
<%_ } _%>
import {
  DockerComposeEnvironment,
  Wait,
  type StartedDockerComposeEnvironment,
  type StartedTestContainer,
} from 'testcontainers';
import { inspect } from './support/docker.ts';
import { request } from './support/http.ts';
import { freePort } from './support/ports.ts';
<%_ if (token || sqlite) { _%>
import { nodeEval } from './support/api.ts';
<%_ } _%>
<%_ if (sqlite && token) { _%>
import {
  APP_UID,
  COMPOSE_PROJECT,
  ROOT,
  TEST_IMAGE,
  PROJECT_TOKEN_FILE,
  SECRET_PATH,
  DATA_DIR,
} from './support/project.ts';
<%_ } else { _%>
import { <% if (sqlite) { %>APP_UID, <% } %>COMPOSE_PROJECT, ROOT, TEST_IMAGE<% if (token) { %>, PROJECT_TOKEN_FILE, SECRET_PATH<% } %><% if (sqlite) { %>, DATA_DIR<% } %> } from './support/project.ts';
<%_ } _%>

interface ComposeContainerInspect {
  Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
  HostConfig: {
    Init: boolean | null;
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    SecurityOpt: string[] | null;
    Memory: number;
  };
  State: { Health?: { Status: string } };
}

describe('docker compose up', () => {
  let environment: StartedDockerComposeEnvironment | undefined;
  let api: StartedTestContainer;
  let url: string;

  beforeAll(async () => {
    const hostPort = await freePort();
    environment = await new DockerComposeEnvironment(ROOT, 'compose.yaml')
      .withProjectName(COMPOSE_PROJECT)
      // The image this run already built: compose uses it instead of building again.
      .withEnvironment({ API_IMAGE: TEST_IMAGE, HOST_PORT: String(hostPort) })
      .withWaitStrategy('api-1', Wait.forHealthCheck())
      .withStartupTimeout(120_000)
      .up();
    api = environment.getContainer('api-1');
    url = `http://127.0.0.1:${hostPort}`;
  }, 180_000);

  afterAll(async () => {
    // Containers, the network<%- sqlite ? ' and the named volume' : '' %> all go.
    await environment?.down({ removeVolumes: true, timeout: 10_000 });
  });

  test('runs the service hardened as compose.yaml says', async () => {
    const state = await inspect<ComposeContainerInspect>('container', api.getId());
    expect(state.State.Health?.Status).toBe('healthy');
    expect(state.HostConfig.Init).toBe(true);
    expect(state.HostConfig.ReadonlyRootfs).toBe(true);
    expect(state.HostConfig.CapDrop).toEqual(['ALL']);
    expect(state.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
    expect(state.HostConfig.Memory).toBeGreaterThan(0);
    expect((await request(url, 'GET', '/health/ready')).status).toBe(200);
  });
<%_ if (token) { _%>

  test('reads the api_token secret from /run/secrets and accepts writes made with it', async () => {
    const state = await inspect<ComposeContainerInspect>('container', api.getId());
    const secret = state.Mounts.find((mount) => mount.Destination === SECRET_PATH);
    expect(secret).toMatchObject({ RW: false });
    // The secret is a file, not an environment variable.
    expect(await nodeEval(api, `console.log(Object.values(process.env).join('\\n'))`)).not.toContain(
      readFileSync(PROJECT_TOKEN_FILE, 'utf8').trim(),
    );

    const token = readFileSync(PROJECT_TOKEN_FILE, 'utf8').trim();
    const created = await request(url, 'POST', '/items', { token, body: { name: 'through compose' } });
    expect(created.status).toBe(201);
    const { id } = created.json<{ id: string | number }>();
    expect((await request(url, 'GET', `/items/${id}`)).json()).toMatchObject({ id, name: 'through compose' });
    expect((await request(url, 'POST', '/items', { body: { name: 'no token' } })).status).toBe(401);
  });
<%_ } _%>
<%_ if (sqlite) { _%>

  test('keeps its data in the named volume', async () => {
    const state = await inspect<ComposeContainerInspect>('container', api.getId());
    const data = state.Mounts.find((mount) => mount.Destination === DATA_DIR);
    expect(data).toMatchObject({ Type: 'volume', Name: `${COMPOSE_PROJECT}_data`, RW: true });
<%_ if (token) { _%>
    const token = readFileSync(PROJECT_TOKEN_FILE, 'utf8').trim();
<%_ } _%>
    const created = await request(url, 'POST', '/items', { <%- token ? 'token, ' : '' %>body: { name: 'in the volume' } });
    expect(created.status).toBe(201);
    const listing = await nodeEval(
      api,
      `const fs = require('fs'); console.log(JSON.stringify({ uid: fs.statSync('${DATA_DIR}').uid, files: fs.readdirSync('${DATA_DIR}') }))`,
    );
    const { uid, files } = JSON.parse(listing) as { uid: number; files: string[] };
    expect(uid).toBe(APP_UID);
    expect(files.length).toBeGreaterThan(0);
  });
<%_ } _%>
});

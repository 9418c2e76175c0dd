/**
 * Claims about running containers of the image: health, user, API, <%- sqlite ? 'data volume, ' : '' %>stop, hardening.
 */
import { Wait, type StartedTestContainer } from 'testcontainers';
import { docker, inspect<% if (sqlite) { %>, removeQuietly, runDocker<% } %> } from './support/docker.ts';
import { request } from './support/http.ts';
import { ApiContainer, baseUrl, nodeEval, processCommand, processStatus<% if (token) { %>, testToken<% } %> } from './support/api.ts';
import { APP_UID, NODE_BIN<% if (sqlite) { %>, DATA_DIR, SLUG, TEST_LABEL, TEST_VOLUME<% } %> } from './support/project.ts';

interface ContainerInspect {
  Config: { Healthcheck?: { Test: string[] } };
  State: { Status: string; ExitCode: number; OOMKilled: boolean; Health?: { Status: string } };
  HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] | null; SecurityOpt: string[] | null };
}

describe('a container of the image', () => {
  let api: StartedTestContainer;
  let url: string;

  beforeAll(async () => {
    // Waits until Docker itself reports "healthy", i.e. the image's HEALTHCHECK passed. The
    // default LOG_LEVEL, so that docker stop below finds one line per request to account for.
    api = await new ApiContainer()
      .withEnvironment({ LOG_LEVEL: 'info' })
      .withWaitStrategy(Wait.forHealthCheck())
      .start();
    url = baseUrl(api);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  test('becomes healthy through its own HEALTHCHECK', async () => {
    const state = await inspect<ContainerInspect>('container', api.getId());
    expect(state.State.Health?.Status).toBe('healthy');
    // The probe is the image's, not one the test supplied.
    expect(state.Config.Healthcheck?.Test).toEqual(['CMD', NODE_BIN, 'dist/healthcheck.js']);
  });

  test('runs as a non-root user that cannot change its own code', async () => {
    expect(await processCommand(api)).toMatch(/node dist\/server\.js$/);
    const status = await processStatus(api);
    // Uid: real, effective, saved, filesystem.
    expect(status.Uid?.split(/\s+/)).toEqual([String(APP_UID), String(APP_UID), String(APP_UID), String(APP_UID)]);
    expect(status.Gid?.split(/\s+/)[0]).not.toBe('0');

    const attempt = await nodeEval(
      api,
      `try { require('fs').writeFileSync('/app/dist/server.js', ''); console.log('written') } catch (e) { console.log(e.code) }`,
    );
    expect(attempt.trim()).toBe('EACCES');
<%_ if (sqlite) { _%>
    // ...and owns the one place it must write to.
    expect((await nodeEval(api, `console.log(require('fs').statSync('/app/data').uid)`)).trim()).toBe(String(APP_UID));
<%_ } _%>
  });

<%_ if (token) { _%>
  test('a write with the token is read back; a write without it gets 401', async () => {
    const created = await request(url, 'POST', '/items', {
      token: testToken(),
      body: { name: 'written with the token' },
    });
    expect(created.status).toBe(201);
    const { id } = created.json<{ id: string | number }>();
    const read = await request(url, 'GET', `/items/${id}`);
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ id, name: 'written with the token' });

    expect((await request(url, 'POST', '/items', { body: { name: 'no token' } })).status).toBe(401);
    expect(
      (await request(url, 'POST', '/items', { token: 'not-the-token', body: { name: 'wrong token' } })).status,
    ).toBe(401);
    expect((await request(url, 'DELETE', `/items/${id}`)).status).toBe(401);
  });
<%_ } else { _%>
  test('a write is read back', async () => {
    const created = await request(url, 'POST', '/items', { body: { name: 'written' } });
    expect(created.status).toBe(201);
    const { id } = created.json<{ id: string | number }>();
    const read = await request(url, 'GET', `/items/${id}`);
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ id, name: 'written' });
  });
<%_ } _%>

  test("stops on docker stop well inside Docker's 10 s grace period, exits 0, and loses no logged line", async () => {
    // No --init: node itself is PID 1 here, the harder case for signal handling. The last
    // claim on this container, so the others share its start.
    const id = api.getId();
    // A burst right before the signal: its lines are the likeliest to be still buffered.
    const requestIds = Array.from({ length: 50 }, (_, i) => `before-stop-${i}`);
    const replies = await Promise.all(
      requestIds.map((requestId) => request(url, 'GET', '/items', { headers: { 'x-request-id': requestId } })),
    );
    expect(replies.map((reply) => reply.status)).toEqual(requestIds.map(() => 200));

    const started = performance.now();
    await docker(['stop', '--time', '10', id]);
    const seconds = (performance.now() - started) / 1000;

    const { State } = await inspect<ContainerInspect>('container', id);
    expect(State.Status).toBe('exited');
    expect(State.ExitCode).toBe(0); // 137 would mean SIGKILL after the grace period
    expect(State.OOMKilled).toBe(false);
    expect(seconds).toBeLessThan(3);
    process.stdout.write(`docker stop took ${seconds.toFixed(2)} s\n`);

    const lines = (await docker(['logs', id]))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const logged = new Set(lines.map((line) => line.req?.id));
    expect(requestIds.filter((requestId) => !logged.has(requestId))).toEqual([]);
    expect(lines.slice(-2).map((line) => line.msg)).toEqual(['shutting down', 'stopped']);
  });
});

<%_ if (sqlite) { _%>
// The data lives in a named volume, not in the container.
describe('the data volume', () => {
  beforeAll(async () => {
    await docker(['volume', 'create', '--label', `${TEST_LABEL}=${SLUG}`, TEST_VOLUME]);
  });

  afterAll(async () => {
    await removeQuietly('volume', [TEST_VOLUME]);
  });

  test('keeps the data when the container is replaced, after a graceful stop and after kill -9', async () => {
    const first = await new ApiContainer().withMount(`${TEST_VOLUME}:${DATA_DIR}`).start();
    let id: string | number;
    try {
      // A new volume takes its owner from the image's /app/data: the app user.
      expect((await nodeEval(first, `console.log(require('fs').statSync('${DATA_DIR}').uid)`)).trim()).toBe(
        String(APP_UID),
      );
      const created = await request(baseUrl(first), 'POST', '/items', {
        <%- token ? 'token: testToken(),\n        ' : '' %>body: { name: 'outlives its container' },
      });
      expect(created.status).toBe(201);
      id = created.json<{ id: string | number }>().id;
    } finally {
      // A graceful stop, as in production: the server closes the database on SIGTERM.
      await first.stop({ timeout: 10_000 });
    }

    const second = await new ApiContainer().withMount(`${TEST_VOLUME}:${DATA_DIR}`).start();
    let killedId: string | number;
    try {
      expect(second.getId()).not.toBe(first.getId());
      const read = await request(baseUrl(second), 'GET', `/items/${id}`);
      expect(read.status).toBe(200);
      expect(read.json()).toMatchObject({ id, name: 'outlives its container' });

      const written = await request(baseUrl(second), 'POST', '/items', {
        <%- token ? 'token: testToken(),\n        ' : '' %>body: { name: 'outlives kill -9' },
      });
      expect(written.status).toBe(201);
      killedId = written.json<{ id: string | number }>().id;
    } finally {
      // No shutdown at all: a write the client saw succeed must already be on the volume.
      await runDocker(['kill', '--signal', 'KILL', second.getId()]);
      await second.stop();
    }

    const third = await new ApiContainer().withMount(`${TEST_VOLUME}:${DATA_DIR}`).start();
    try {
      const read = await request(baseUrl(third), 'GET', `/items/${killedId}`);
      expect(read.status).toBe(200);
      expect(read.json()).toMatchObject({ id: killedId, name: 'outlives kill -9' });
    } finally {
      await third.stop();
    }
  });
});

<%_ } _%>
describe('a hardened container', () => {
  let api: StartedTestContainer;

  beforeAll(async () => {
    api = await new ApiContainer()
      .withReadOnlyRootFilesystem()
      .withTmpFs({ '/tmp': 'rw,noexec,nosuid,size=16m' })
      .withDroppedCapabilities('ALL')
      .withSecurityOpt('no-new-privileges:true')
      .withResourcesQuota({ memory: 0.25, cpu: 1 })
      .start();
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  test('serves with a read-only root filesystem, no capabilities and no-new-privileges', async () => {
    const { HostConfig } = await inspect<ContainerInspect>('container', api.getId());
    expect(HostConfig.ReadonlyRootfs).toBe(true);
    expect(HostConfig.CapDrop).toEqual(['ALL']);
    expect(HostConfig.SecurityOpt).toContain('no-new-privileges:true');

    // What the kernel enforces on the server process itself.
    const status = await processStatus(api);
    expect(status.CapEff).toBe('0000000000000000');
    expect(status.CapPrm).toBe('0000000000000000');
    expect(status.NoNewPrivs).toBe('1');
    const rootWrite = await nodeEval(
      api,
      `try { require('fs').writeFileSync('/probe', ''); console.log('written') } catch (e) { console.log(e.code) }`,
    );
    expect(['EROFS', 'EACCES']).toContain(rootWrite.trim());
    const mounts = await nodeEval(
      api,
      `process.stdout.write(require('fs').readFileSync('/proc/self/mountinfo', 'utf8'))`,
    );
    const root = mounts.split('\n').find((line) => line.split(' ')[4] === '/');
    expect(root?.split(' ')[5]?.split(',')).toContain('ro');

    const url = baseUrl(api);
    expect((await request(url, 'GET', '/health/ready')).status).toBe(200);
    const created = await request(url, 'POST', '/items', { <%- token ? 'token: testToken(), ' : '' %>body: { name: 'read-only root' } });
    expect(created.status).toBe(201);
    const { id } = created.json<{ id: string | number }>();
    expect((await request(url, 'GET', `/items/${id}`)).status).toBe(200);
  });
});

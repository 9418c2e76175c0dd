/**
 * The development loop, driven as a developer drives it: `docker compose -f
 * compose.dev.yaml watch` on a copy of the project, an edit under src/, and the edited code
 * answering over HTTP, without a new image (compose syncs the file and restarts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { docker, inspect, runDocker } from './support/docker.ts';
import { request } from './support/http.ts';
import { freePort } from './support/ports.ts';
import { DEV_TEST_IMAGE, ROOT, WATCH_PROJECT } from './support/project.ts';

/** Calls `probe` until it returns a value, or fails at the deadline with the last problem. */
/** `what` may be a function: evidence (compose's output) is read when the wait fails, not before. */
async function waitFor<T>(
  what: string | (() => string),
  seconds: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250)); // the poll interval
  }
  const said = typeof what === 'function' ? what() : what;
  throw new Error(`${said}: not within ${seconds} s${last ? ` (last: ${String(last)})` : ''}`);
}

describe('docker compose watch (compose.dev.yaml)', () => {
  const copy = mkdtempSync(path.join(tmpdir(), 'watch-test-'));
  let watch: ChildProcess | undefined;
  let output = '';
  let url: string;
  let inspectPort: number;
  const compose = (...args: string[]) => [
    'compose',
    '--project-name',
    WATCH_PROJECT,
    '-f',
    'compose.dev.yaml',
    ...args,
  ];

  beforeAll(async () => {
    // A copy, so the test's edit never touches the project's own sources.
    cpSync(ROOT, copy, {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|dist|data|coverage|\.git)$/.test(source),
    });
    const hostPort = await freePort();
    inspectPort = await freePort();
    url = `http://127.0.0.1:${hostPort}`;
    watch = spawn('docker', compose('watch'), {
      cwd: copy,
      env: {
        ...process.env,
        HOST_PORT: String(hostPort),
        INSPECT_PORT: String(inspectPort),
        DEV_IMAGE: DEV_TEST_IMAGE,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    watch.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    watch.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    // The first run builds the dev stage (its dependencies come from the build cache).
    await waitFor(
      () => `GET /health/live from the dev service; compose said:\n${output.slice(-4000)}`,
      240,
      async () => ((await request(url, 'GET', '/health/live')).status === 200 ? true : undefined),
    );
  }, 300_000);

  afterAll(async () => {
    watch?.kill('SIGINT');
    await runDocker(compose('down', '--volumes', '--timeout', '0'), { cwd: copy });
    await runDocker(['image', 'rm', '--force', DEV_TEST_IMAGE]);
    rmSync(copy, { recursive: true, force: true });
  }, 60_000);

  test('serves an edit to src/ over HTTP, restarted in place, without building a new image', async () => {
    const containerId = (await docker(compose('ps', '--quiet', 'dev'), { cwd: copy })).trim();
    const imageBefore = (await docker(['image', 'inspect', '--format', '{{.Id}}', DEV_TEST_IMAGE])).trim();

    const file = path.join(copy, 'src', 'health.ts');
    const marker = `edited-${Date.now()}`;
    const source = readFileSync(file, 'utf8');
    expect(source).toContain("res.json({ status: 'ok' });");
    writeFileSync(
      file,
      source.replace("res.json({ status: 'ok' });", `res.json({ status: 'ok', marker: '${marker}' });`),
    );

    const body = await waitFor(
      () => `the edit answered over HTTP; compose said:\n${output.slice(-4000)}`,
      90,
      async () => {
        const reply = await request(url, 'GET', '/health/live');
        return reply.body.includes(marker) ? reply.body : undefined;
      },
    );
    expect(JSON.parse(body)).toEqual({ status: 'ok', marker });
    expect(output).toMatch(/Syncing "dev" after changes were detected/);
    expect((await docker(['image', 'inspect', '--format', '{{.Id}}', DEV_TEST_IMAGE])).trim()).toBe(imageBefore);
    expect((await docker(compose('ps', '--quiet', 'dev'), { cwd: copy })).trim()).toBe(containerId);
  }, 120_000);

  test('opens the inspector on the loopback interface only', async () => {
    const containerId = (await docker(compose('ps', '--quiet', 'dev'), { cwd: copy })).trim();
    const { HostConfig } = await inspect<{ HostConfig: { PortBindings: Record<string, { HostIp: string }[]> } }>(
      'container',
      containerId,
    );
    expect(HostConfig.PortBindings['9229/tcp']).toEqual([expect.objectContaining({ HostIp: '127.0.0.1' })]);
    const targets = await waitFor('the inspector', 30, async () => {
      const reply = await request(`http://127.0.0.1:${inspectPort}`, 'GET', '/json/list');
      return reply.status === 200 ? reply.json<{ type: string }[]>() : undefined;
    });
    expect(targets[0]?.type).toBe('node');
  });

  test('.devcontainer/ opens the same service with the project mounted at /app', async () => {
    const config = JSON.parse(
      await docker(
        ['compose', '-f', 'compose.dev.yaml', '-f', '.devcontainer/compose.yaml', 'config', '--format', 'json'],
        { cwd: copy },
      ),
    ) as { services: { dev: { volumes: { type: string; source?: string; target: string }[]; command: string[] } } };
    expect(config.services.dev.volumes).toContainEqual(
      expect.objectContaining({ type: 'bind', source: copy, target: '/app' }),
    );
    expect(config.services.dev.command).toContain('--watch');
    const devcontainer = readFileSync(path.join(copy, '.devcontainer', 'devcontainer.json'), 'utf8');
    expect(devcontainer).toMatch(/"service": "dev"/);
  });
});

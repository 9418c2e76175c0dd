/**
 * The preload container-api:docker writes for apps that do not handle SIGTERM
 * (templates/docker/docker/graceful-stop.mjs), on the host: a tiny server loaded with
 * `node --import`, a real signal, real HTTP. test/e2e/existing.test.ts proves it in a container.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

const PRELOAD = path.join(REPO_ROOT, 'templates/docker/docker/graceful-stop.mjs');

/**
 * A server with a /slow route that answers only when a line arrives on stdin, so a test
 * decides when a request in flight may finish. It prints `listening <port>` and `slow` lines.
 */
const SERVER = (extra: string) => `
const http = require('node:http');
let release = [];
process.stdin.on('data', () => { for (const done of release.splice(0)) done(); });
const server = http.createServer((req, res) => {
  if (req.url !== '/slow') return res.end('fast');
  console.log('slow');
  release.push(() => res.end('slow done'));
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
${extra}
`;

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'graceful-stop-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface App {
  child: ChildProcessWithoutNullStreams;
  port: number;
  output: () => string;
  /** Resolves when the output has a line matching the pattern. */
  waitFor: (pattern: RegExp) => Promise<void>;
  exited: Promise<number | null>;
}

async function start(name: string, source: string, env: Record<string, string> = {}): Promise<App> {
  const file = path.join(work, name);
  writeFileSync(file, source);
  const child = spawn(process.execPath, ['--import', PRELOAD, file], { env: { ...process.env, ...env } });
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters.filter((w) => w.pattern.test(text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    pattern.test(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve }));
  await waitFor(/listening \d+/);
  const port = Number(/listening (\d+)/.exec(text)![1]);
  return { child, port, output: () => text, waitFor, exited };
}

/** GET over a keep-alive agent: the connection stays open, idle, after the answer. */
function get(port: number, route: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: route, agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk)).on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('graceful-stop.mjs', () => {
  it('an app with no handler: SIGTERM lets the request in flight finish, closes idle keep-alive connections, exits 0', async () => {
    const app = await start('plain.cjs', SERVER(''));
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect(await get(app.port, '/fast', agent)).toBe('fast'); // leaves an idle keep-alive connection
      const slow = get(app.port, '/slow', agent);
      await app.waitFor(/^slow$/m);
      app.child.kill('SIGTERM');
      await app.waitFor(/graceful-stop: SIGTERM: closing 1 server\(s\), 1 request\(s\) in flight/);
      app.child.stdin.write('release\n');
      expect(await slow).toBe('slow done');
      expect(await app.exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it('an ES module app, SIGINT: exits 0', async () => {
    const esm = `import http from 'node:http';
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
setInterval(() => {}, 1000); // a timer that would keep the process alive on its own`;
    const app = await start('plain.mjs', esm);
    app.child.kill('SIGINT');
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('graceful-stop: SIGINT');
  });

  it('requests still in flight at the deadline: exit 1, with a line that says so', async () => {
    const app = await start('stuck.cjs', SERVER(''), { GRACEFUL_STOP_TIMEOUT_MS: '300' });
    const agent = new http.Agent({ keepAlive: true });
    try {
      get(app.port, '/slow', agent).catch(() => undefined); // cut off when the process exits
      await app.waitFor(/^slow$/m);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain('graceful-stop: 1 request(s) still in flight after 300 ms; exiting 1');
    } finally {
      agent.destroy();
    }
  });

  it("an app with its own handler: the preload stays out of the way, the app's handler decides", async () => {
    const own = SERVER(`process.on('SIGTERM', () => { console.log('own handler'); process.exit(3); });`);
    const app = await start('own.cjs', own);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(3);
    expect(app.output()).toContain('own handler');
    expect(app.output()).not.toContain('graceful-stop');
  });

  it('a handler that cleans up, then re-raises the signal: the app finishes first, the preload takes the second signal, exit 0', async () => {
    const reraises = SERVER(
      `process.once('SIGTERM', (signal) => server.close(() => { console.log('own cleanup'); process.kill(process.pid, signal); }));`,
    );
    const app = await start('reraises.cjs', reraises);
    app.child.kill('SIGTERM');
    // Without the preload node dies of the second signal: exit code null, signal SIGTERM (143 in a container).
    expect(await app.exited).toBe(0);
    expect(app.output()).toMatch(/own cleanup\n[\s\S]*graceful-stop: SIGTERM: closing 0 server/);
  });

  it('GRACEFUL_STOP=after-app: a handler that never exits runs, then the servers close and it exits 0', async () => {
    const logsOnly = SERVER(`process.on('SIGTERM', () => console.log('own handler'));`);
    const app = await start('logs-only.cjs', logsOnly, { GRACEFUL_STOP: 'after-app' });
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.output()).toMatch(/own handler\n[\s\S]*graceful-stop: SIGTERM: closing 1 server/);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gracefulCloser, type CloseServer } from '../../src/shutdown.ts';
import { buildApp, createHarness, deferred, type Harness } from './helpers.ts';

let h: Harness;
let server: Server;
let closeServer: CloseServer;
let baseUrl: string;

/** Serves the app on a free port, with a store whose list() waits until released. */
async function serveWithSlowList() {
  const entered = deferred();
  const release = deferred();
  const slowStore = {
    ...h.store,
    async list(page: Parameters<Harness['store']['list']>[0]) {
      entered.resolve();
      await release.promise;
      return h.store.list(page);
    },
  };
  server = createServer(buildApp(slowStore));
  closeServer = gracefulCloser(server);
  // Were shutdown to wait for kept-alive connections to time out, these tests would time out first.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { entered: entered.promise, release: release.resolve };
}

beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  server?.closeAllConnections();
  await h.close();
});

describe('graceful close', () => {
  it('lets a request in flight finish, then closes', async () => {
    const { entered, release } = await serveWithSlowList();
    const response = fetch(`${baseUrl}/items`);
    await entered;

    const closed = closeServer(30_000);
    await expect(fetch(`${baseUrl}/health/live`)).rejects.toThrow();
    release();

    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
    await expect(closed).resolves.toEqual({ forced: false });
    expect(server.listening).toBe(false);
  });

  it('is not held open by an idle keep-alive connection', async () => {
    await serveWithSlowList();
    // fetch keeps its connection open for reuse after the response.
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    await expect(closeServer(30_000)).resolves.toEqual({ forced: false });
  });

  it('cuts a request still running at the deadline', async () => {
    const { entered, release } = await serveWithSlowList();
    const response = fetch(`${baseUrl}/items`);
    await entered;

    await expect(closeServer(50)).resolves.toEqual({ forced: true });
    await expect(response).rejects.toThrow();
    release();
  });
});

describe('the server process', () => {
  const serverScript = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'server-test-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  // A Node start that strips the sources' types, a burst and a drain: under a second on a
  // laptop, more than Jest's 5 s default on a busy CI runner, hence the test's own timeout.
  it('exits 0 soon after SIGTERM, with every line it logged written out', async () => {
    // Node runs the TypeScript sources directly, as `npm run dev` does.
    const child = spawn(process.execPath, [serverScript], {
      cwd: path.dirname(path.dirname(serverScript)),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        API_TOKEN: 'test-token',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    // stdout is a pipe, as in a container: the logger writes to it asynchronously.
    const lines: Record<string, unknown>[] = [];
    const listening = deferred();
    const ended = new Promise<void>((done) => {
      createInterface({ input: child.stdout })
        .on('line', (line) => {
          lines.push(JSON.parse(line));
          if (lines.at(-1)?.port !== undefined) listening.resolve();
        })
        .on('close', done);
    });
    await listening.promise;
    const port = lines.find((line) => line.port !== undefined)?.port;

    // A burst of requests right before the signal: their lines are the likeliest to be
    // still buffered when the process exits.
    const ids = Array.from({ length: 50 }, (_, i) => `before-sigterm-${i}`);
    await Promise.all(
      ids.map(async (id) => {
        const response = await fetch(`http://127.0.0.1:${port}/items`, { headers: { 'x-request-id': id } });
        expect(response.status).toBe(200);
      }),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await ended;

    const logged = new Set(lines.map((line) => (line.req as { id?: string } | undefined)?.id));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
    expect(lines.slice(-2).map((line) => line.msg)).toEqual(['shutting down', 'stopped']);
  }, 30_000);
});

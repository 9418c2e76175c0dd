/**
 * Faults on the real engine: a corrupt body, a client too slow to finish its request<%- sqlite ? ',\n * a full data volume, a kill -9 under a burst of writes, a write lock held by another process' : '' %>.
 * Traffic goes to the ports the engine maps on 127.0.0.1; every wait is on a condition.
 */
<%_ if (sqlite) { _%>
import { spawn } from 'node:child_process';
<%_ } _%>
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { StartedTestContainer } from 'testcontainers';
import { ApiContainer<% if (sqlite) { %>, nodeEval<% } %><% if (token) { %>, testToken<% } %> } from './support/api.ts';
<%_ if (sqlite) { _%>
import { inspect } from './support/docker.ts';
<%_ } _%>
<%_ if (sqlite) { _%>
import { request, type Reply } from './support/http.ts';
<%_ } else { _%>
import type { Reply } from './support/http.ts';
<%_ } _%>
import { <% if (sqlite) { %>APP_UID, DATA_DIR, NODE_BIN, <% } %>PORT } from './support/project.ts';

const urlOf = (container: StartedTestContainer) => `http://127.0.0.1:${container.getMappedPort(PORT)}`;
<%_ if (sqlite) { _%>
/** POSTs one item as JSON<%- token ? ', with the test token' : '' %>. */
const postItem = (url: string, body: unknown) => request(url, 'POST', '/items', { <%- token ? 'token: testToken(), ' : '' %>body });
<%_ } _%>

/** POSTs raw bytes as they are, for bodies the JSON helper cannot send. */
function postRaw(url: string, headers: Record<string, string>, body: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/items`, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
<%_ if (token) { _%>

const auth = () => ({ authorization: `Bearer ${testToken()}` });
<%_ } _%>

describe('bad clients', () => {
  let api: StartedTestContainer;

  beforeAll(async () => {
    // Short request timeouts, so that a slow client is cut off within the test's patience.
    api = await new ApiContainer().withEnvironment({ HEADERS_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '500' }).start();
  });

  afterAll(async () => {
    await api?.stop();
  });

  test('a corrupt gzip body gets 400 in the error shape', async () => {
    const good = gzipSync(JSON.stringify({ name: 'compressed' }));
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip'<%- token ? ', ...auth()' : '' %> };
    const corrupt = await postRaw(urlOf(api), headers, Buffer.from('notgzip'));
    expect(corrupt.status).toBe(400);
    expect(corrupt.json()).toMatchObject({ error: { code: 'malformed_body' } });
    const truncated = await postRaw(urlOf(api), headers, good.subarray(0, good.length - 10));
    expect(truncated.status).toBe(400);
    expect((await postRaw(urlOf(api), headers, good)).status).toBe(201);
  });

  test('a client that sends its body a byte at a time is cut off with 408 at REQUEST_TIMEOUT_MS', async () => {
    const socket = connect(api.getMappedPort(PORT), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += String(chunk);
    });
    // A byte sent just as the server closes can make its kernel answer with a reset that
    // overtakes the 408: the server cut the connection either way.
    let reset = false;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reset = error.code === 'ECONNRESET';
    });
    const closed = new Promise<number>((done) => socket.on('close', () => done(performance.now())));
    const head = ['POST /items HTTP/1.1', 'Host: test', 'Content-Type: application/json', 'Content-Length: 1000'];
<%_ if (token) { _%>
    head.push(`Authorization: Bearer ${testToken()}`);
<%_ } _%>
    const started = performance.now();
    socket.write(`${head.join('\r\n')}\r\n\r\n{`);
    const drip = setInterval(() => socket.writable && socket.write(' '), 50);
    const endedAt = await closed;
    clearInterval(drip);
    expect(received.startsWith('HTTP/1.1 408 ') || (reset && received === '')).toBe(true);
    // Cut off by the server at its timeout (checked every second), not by a default of minutes.
    expect(endedAt - started).toBeGreaterThanOrEqual(500);
    expect(endedAt - started).toBeLessThan(5_000);
  });
<%_ if (sqlite) { _%>

  test('a write lock held by another process gets 503 with Retry-After, and writes resume once it is released', async () => {
    // A second process in the container takes the database's write lock and holds it until
    // its stdin closes: what a migration or a second replica on the same volume would do.
    const holder = spawn(
      'docker',
      [
        // Node 22 warns that node:sqlite is experimental: not this test's to report.
        'exec',
        '-i',
        api.getId(),
        NODE_BIN,
        '--disable-warning=ExperimentalWarning',
        '-e',
        `const { DatabaseSync } = require('node:sqlite');
       const db = new DatabaseSync('${DATA_DIR}/items.db');
       db.exec('BEGIN IMMEDIATE');
       process.stdout.write('locked\\n');
       process.stdin.resume().on('end', () => { db.exec('ROLLBACK'); db.close(); });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = new Promise((done) => holder.on('exit', done));
    try {
      await new Promise<void>((locked, failed) => {
        holder.stdout.on('data', (chunk) => String(chunk).includes('locked') && locked());
        holder.on('exit', (code) => failed(new Error(`the lock holder exited with ${code}`)));
      });
      const started = performance.now();
      const busy = await postItem(urlOf(api), { name: 'while locked' });
      expect(busy.status).toBe(503);
      expect(busy.json()).toMatchObject({ error: { code: 'store_busy' } });
      // After the 5 s busy timeout, not at once.
      expect(performance.now() - started).toBeGreaterThanOrEqual(4_500);
    } finally {
      holder.stdin.end();
      await exited;
    }
    const created = await postItem(urlOf(api), { name: 'after the lock' });
    expect(created.status).toBe(201);
  });
<%_ } _%>
});
<%_ if (sqlite) { _%>

describe('a full data volume (a 512 KB tmpfs at the data path)', () => {
  let api: StartedTestContainer;

  beforeAll(async () => {
    api = await new ApiContainer()
      .withTmpFs({ [DATA_DIR]: `rw,size=512k,uid=${APP_UID},gid=${APP_UID},mode=0700` })
      .start();
  });

  afterAll(async () => {
    await api?.stop();
  });

  test('refuses writes with 507 once full, keeps every acknowledged one, is not ready, and recovers when space is freed', async () => {
    const url = urlOf(api);
    // Ballast to delete later, the way an operator frees space.
    await nodeEval(api, `require('fs').writeFileSync('${DATA_DIR}/ballast', Buffer.alloc(64 * 1024))`);
    const acknowledged: { id: string; name: string }[] = [];
    const statuses = new Map<number, number>();
    const description = 'x'.repeat(2000);
    for (let i = 0; i < 1000 && (statuses.get(507) ?? 0) < 20; i++) {
      const reply = await postItem(url, { name: `item ${i}`, description });
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status === 201) acknowledged.push(reply.json());
      else expect(reply.json()).toMatchObject({ error: { code: 'insufficient_storage' } });
    }
    expect([...statuses.keys()].sort()).toEqual([201, 507]);

    const page = await request(url, 'GET', '/items?limit=100');
    expect(page.json<{ total: number }>().total).toBe(acknowledged.length);
    for (const item of acknowledged)
      expect((await request(url, 'GET', `/items/${item.id}`)).json()).toMatchObject(item);
    expect((await request(url, 'GET', '/health/ready')).status).toBe(503);
    process.stdout.write(
      `full volume in a container: ${acknowledged.length} POSTs acknowledged (201), ${page.json<{ total: number }>().total} stored, ` +
        `${statuses.get(507)} refused with 507\n`,
    );

    await nodeEval(api, `require('fs').rmSync('${DATA_DIR}/ballast')`);
    expect((await request(url, 'GET', '/health/ready')).status).toBe(200);
    expect((await postItem(url, { name: 'after space was freed' })).status).toBe(201);
  });
});

interface ContainerState {
  RestartCount: number;
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

/** Restarted by the engine the way compose.yaml asks: `restart: unless-stopped`, with `init: true`. */
class RestartingApi extends ApiContainer {
  withComposeRestartPolicy(): this {
    this.hostConfig.Init = true;
    this.hostConfig.RestartPolicy = { Name: 'unless-stopped' };
    return this;
  }
}

describe('kill -9 under a burst of writes', () => {
  let api: StartedTestContainer;

  beforeAll(async () => {
    api = await new RestartingApi().withComposeRestartPolicy().start();
  });

  afterAll(async () => {
    await api?.stop();
  });

  test('every write acknowledged before the kill is there once the engine has restarted the container', async () => {
    const url = urlOf(api);
    const acknowledged: string[] = [];
    let killed: Promise<unknown> | undefined;
    // SIGKILL to the server from inside (docker kill would count as a manual stop, which
    // the restart policy respects): the init process exits 137 and the engine restarts it.
    // The exec'd node that sends it may die with the container before it exits itself, and so
    // report 137 too: that is the kill having worked, and the restart below is the proof.
    const kill = async () => {
      const script = `const fs = require('fs');
         for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p) && +p !== process.pid)) {
           try { if (fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').includes('dist/server.js')) process.kill(+pid, 'SIGKILL'); } catch {}
         }`;
      const { exitCode, output } = await api.exec([NODE_BIN, '-e', script]);
      if (exitCode !== 0 && exitCode !== 137) throw new Error(`the kill's node -e exited with ${exitCode}:\n${output}`);
    };
    // 8 writers in parallel, until the server is gone; the kill comes after the 100th acknowledgement.
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; ; i++) {
          const reply = await postItem(url, { name: `burst ${writer}.${i}` }).catch(() => undefined);
          if (reply?.status !== 201) return;
          acknowledged.push(reply.json<{ id: string }>().id);
          if (acknowledged.length === 100) killed = kill();
        }
      }),
    );
    await killed;

    // Ready again: the engine restarted it on the same writable layer. A restart may map the
    // port anew, so the address is read from the engine each time.
    const deadline = Date.now() + 60_000;
    let restarted: string | undefined;
    while (!restarted) {
      if (Date.now() > deadline) throw new Error('not ready within 60 s of the kill');
      const { RestartCount, NetworkSettings } = await inspect<ContainerState>('container', api.getId());
      const hostPort = NetworkSettings.Ports?.[`${PORT}/tcp`]?.[0]?.HostPort;
      const candidate = `http://127.0.0.1:${hostPort}`;
      if (
        RestartCount >= 1 &&
        hostPort &&
        (await request(candidate, 'GET', '/health/ready').catch(() => undefined))?.status === 200
      ) {
        restarted = candidate;
      } else {
        await new Promise((tick) => setTimeout(tick, 100));
      }
    }

    const missing: string[] = [];
    for (const id of acknowledged)
      if ((await request(restarted, 'GET', `/items/${id}`)).status !== 200) missing.push(id);
    expect(missing).toEqual([]);
    process.stdout.write(
      `kill -9 under a burst: ${acknowledged.length} writes acknowledged, all present after the restart\n`,
    );
  });
});
<%_ } _%>

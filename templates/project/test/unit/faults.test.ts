/**
 * Faults from outside the code: bodies that do not decompress, slow clients, a store that
 * is busy or full<%- sqlite ? ', a data directory the service cannot use' : '' %>, settings that cannot work.
 * Each must get an answer the client can act on, never a 500 or a 2xx for a write not stored.
 */
<%_ if (sqlite) { _%>
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
<%_ } else if (token) { _%>
import { spawnSync } from 'node:child_process';
<%_ } _%>
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
<%_ if (sqlite) { _%>
import os from 'node:os';
import path from 'node:path';
<%_ } _%>
<%_ if (sqlite) { _%>
import { DatabaseSync } from 'node:sqlite';
<%_ } _%>
<%_ if (sqlite || token) { _%>
import { fileURLToPath } from 'node:url';
<%_ } _%>
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { createHttpServer } from '../../src/http.ts';
<%_ if (sqlite) { _%>
import { openSqliteStore } from '../../src/items/sqlite-store.ts';
<%_ } _%>
import { StoreError } from '../../src/items/store.ts';
import { buildApp, captureLogs, client, createHarness<% if (token) { %>, TOKEN<% } %>, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe('a compressed body that does not decompress', () => {
  const body = JSON.stringify({ name: 'Tea' });
  const gzipped = gzipSync(body);
  // gzip ends with a CRC-32 of the data, then its length: flip a bit of the CRC.
  const badCrc = Buffer.from(gzipped);
  badCrc.writeUInt8(badCrc.readUInt8(badCrc.length - 8) ^ 0x01, badCrc.length - 8);

  /** POSTs the bytes as they are, through a real socket (supertest would re-encode a Buffer). */
  async function post(app: Express, encoding: string, data: Buffer) {
    const server = createServer(app);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding<%- token ? ', authorization: `Bearer ${TOKEN}`' : '' %> },
        body: data,
      });
      return { status: res.status, body: await res.json() };
    } finally {
      server.close();
    }
  }

  it.each([
    ['gzip', 'not gzip at all', Buffer.from('notgzip')],
    ['deflate', 'not deflate at all', Buffer.from('notdeflate')],
    ['br', 'not brotli at all', Buffer.from('notbrotli')],
    ['gzip', 'truncated', gzipped.subarray(0, gzipped.length - 10)],
    ['gzip', 'with a bad CRC', badCrc],
  ])(
    'answers Content-Encoding %s, %s, with 400, logged at info like any client mistake',
    async (encoding, _case, data) => {
      const { logger, lines } = captureLogs();
      const res = await post(buildApp(h.store, { logger }), encoding, data);
      expect(res).toEqual({
        status: 400,
        body: { error: { code: 'malformed_body', message: expect.stringContaining('Content-Encoding') } },
      });
      expect(lines().find((line) => line.res?.statusCode === 400)?.level).toBe(30);
      expect((await request(h.app).get('/items')).body.total).toBe(0);
    },
  );

  it.each([
    ['gzip', gzipped],
    ['deflate', deflateSync(body)],
    ['br', brotliCompressSync(body)],
  ])('still takes a valid %s body', async (encoding, data) => {
    expect((await post(h.app, encoding, data)).status).toBe(201);
  });
});

describe('a store that names its failure', () => {
  const failingWith = (kind: StoreError['kind']) => ({
    ...h.store,
    create: () =>
      Promise.reject(new StoreError(kind, `the store is ${kind}`, { cause: new Error('SQLITE_SOMETHING') })),
  });

  it('answers a write it had no space for with 507, logged at error with its cause', async () => {
    const { logger, lines } = captureLogs();
    const res = await client(buildApp(failingWith('full'), { logger }))
      .post('/items')
      .send({ name: 'Tea' })
      .expect(507);
    expect(res.body).toEqual({
      error: { code: 'insufficient_storage', message: expect.stringContaining('not stored') },
    });
    const [line] = lines().filter((entry) => entry.res?.statusCode === 507);
    expect(line?.level).toBe(50);
    expect(line?.err.message).toContain('the store is full');
  });

  it('answers a write it was too busy for with 503 and Retry-After', async () => {
    const res = await client(buildApp(failingWith('busy')))
      .post('/items')
      .send({ name: 'Tea' })
      .expect(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.error.code).toBe('store_busy');
  });

  it('answers a store that cannot be written with 503', async () => {
    const res = await client(buildApp(failingWith('unavailable')))
      .post('/items')
      .send({ name: 'Tea' })
      .expect(503);
    expect(res.body.error.code).toBe('store_unavailable');
  });
});

describe('a slow client', () => {
  /** Serves the app with short timeouts; resolves with a raw socket to it and a close event. */
  async function connectSlowly(timeouts: { headersTimeoutMs: number; requestTimeoutMs: number }) {
    const server = createHttpServer(h.app, { ...timeouts, keepAliveTimeoutMs: 65_000 });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
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
    const opened = performance.now();
    const closed = new Promise<{ afterMs: number; cutOff: boolean }>((done) =>
      socket.on('close', () => {
        const cutOff = received.startsWith('HTTP/1.1 408 ') || (reset && received === '');
        done({ afterMs: performance.now() - opened, cutOff });
      }),
    );
    return { socket, closed, stop: () => new Promise((done) => server.close(done)) };
  }

  it('that sends its body a byte at a time is cut off with 408 at the request timeout', async () => {
    const { socket, closed, stop } = await connectSlowly({ headersTimeoutMs: 200, requestTimeoutMs: 300 });
    const headers = ['POST /items HTTP/1.1', 'Host: test', 'Content-Type: application/json', 'Content-Length: 100'];
<%_ if (token) { _%>
    headers.push(`Authorization: Bearer ${TOKEN}`);
<%_ } _%>
    socket.write(`${headers.join('\r\n')}\r\n\r\n{`);
    // A byte every 50 ms: never idle, never done.
    const drip = setInterval(() => socket.writable && socket.write(' '), 50);
    const { afterMs, cutOff } = await closed;
    clearInterval(drip);
    await stop();
    expect(cutOff).toBe(true);
    expect(afterMs).toBeGreaterThanOrEqual(300);
  });

  it('that never finishes its headers is cut off with 408 at the headers timeout', async () => {
    const { socket, closed, stop } = await connectSlowly({ headersTimeoutMs: 200, requestTimeoutMs: 5000 });
    socket.write('GET /items HTTP/1.1\r\nHost: test\r\n');
    const { afterMs, cutOff } = await closed;
    await stop();
    expect(cutOff).toBe(true);
    expect(afterMs).toBeGreaterThanOrEqual(200);
    expect(afterMs).toBeLessThan(5000);
  });
});
<%_ if (sqlite) { _%>

describe('the SQLite store', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'faults-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers 503 with Retry-After while another process holds the write lock, and writes once it is released', async () => {
    const store = openSqliteStore(dataDir, { busyTimeoutMs: 50 });
    const app = buildApp(store);
    // A second connection stands in for another process (a migration, a second container).
    const other = new DatabaseSync(path.join(dataDir, 'items.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const res = await client(app).post('/items').send({ name: 'Tea' }).expect(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.error.code).toBe('store_busy');
      // Reads go on meanwhile (WAL), and readiness stays on: the lock is someone else's.
      await request(app).get('/items').expect(200);
      await request(app).get('/health/ready').expect(200);
      other.exec('ROLLBACK');
      await client(app).post('/items').send({ name: 'Tea' }).expect(201);
    } finally {
      other.close();
      await store.close();
    }
  });
});
<%_ } _%>
<%_ if (sqlite || token) { _%>

describe('the server process refuses to start', () => {
  const serverScript = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
<%_ if (sqlite) { _%>
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'start-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));
<%_ } _%>

  /** Starts the server and returns how it ended: it must end by itself, at once. */
  function start(env: Record<string, string>) {
    const result = spawnSync(process.execPath, [serverScript], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        METRICS_PORT: 'off',
        LOG_LEVEL: 'silent',
<%_ if (token) { _%>
        API_TOKEN: 'test-token',
<%_ } _%>
        ...env,
      },
      encoding: 'utf8',
      timeout: 10_000,
    });
    return { status: result.status, lines: result.stderr.trimEnd().split('\n') };
  }
<%_ if (sqlite) { _%>

  it('over a DATA_DIR that is a file, in one line naming DATA_DIR and what to do', () => {
    const file = path.join(scratch, 'data');
    writeFileSync(file, '');
    const { status, lines } = start({ DATA_DIR: file });
    expect(status).toBe(1);
    expect(lines).toEqual([`DATA_DIR ${file} is a file, not a directory: point DATA_DIR at a directory`]);
  });

  it('over a DATA_DIR under a file', () => {
    writeFileSync(path.join(scratch, 'file'), '');
    const { status, lines } = start({ DATA_DIR: path.join(scratch, 'file', 'data') });
    expect(status).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^DATA_DIR .*file\/data is a file, not a directory/)]);
  });

  // Root writes through file permissions; on a read-only filesystem it cannot.
  const asRoot = process.getuid?.() === 0;
  (asRoot ? it.skip : it)('over a DATA_DIR its user cannot write to', () => {
    execFileSync('chmod', ['0555', scratch]);
    const { status, lines } = start({ DATA_DIR: scratch });
    expect(status).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^DATA_DIR .* is not writable by the user the service runs as \(uid \d+\): /),
    ]);
  });

  (asRoot ? it : it.skip)('over a DATA_DIR on a read-only filesystem (needs root to mount one)', () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', scratch]);
    try {
      const { status, lines } = start({ DATA_DIR: scratch });
      expect(status).toBe(1);
      expect(lines).toEqual([`DATA_DIR ${scratch} is on a read-only filesystem: mount a writable volume there`]);
    } finally {
      execFileSync('umount', [scratch]);
    }
  });
<%_ } _%>
<%_ if (token) { _%>

  it('with an API token that cannot be sent, in one line', () => {
    const { status, lines } = start({ <%- sqlite ? 'DATA_DIR: scratch, ' : '' %>API_TOKEN: '   ' });
    expect(status).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^Invalid configuration: API_TOKEN: must be printable ASCII/)]);
  });
<%_ } _%>
});
<%_ } _%>
<%_ if (sqlite) { _%>

// A real full disk needs a small filesystem: a tmpfs, which only root may mount. Without
// root this is skipped; the container suite (test/container/faults.test.ts) runs it on a
// tmpfs volume for everyone.
const mountsTmpfs = process.getuid?.() === 0 && process.platform === 'linux';
(mountsTmpfs ? describe : describe.skip)('a full disk (a 512 KB tmpfs)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dataDir]);
  });
  afterAll(() => {
    execFileSync('umount', [dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never acknowledges a write it did not store, is not ready while full, and recovers once space is freed', async () => {
    // Ballast to delete later, the way an operator frees space.
    const ballast = path.join(dataDir, 'ballast');
    writeFileSync(ballast, Buffer.alloc(64 * 1024));
    const store = openSqliteStore(path.join(dataDir, 'db'));
    const { logger, lines } = captureLogs();
    const app = buildApp(store, { logger });
    const api = client(app);
    try {
      type Item = { id: string; name: string };
      const stored: Item[] = [];
      const refused: number[] = [];
      const description = 'x'.repeat(2000);
      // Fill it: every POST is 201 or 507, nothing else, and a few more after the first 507.
      for (let i = 0; i < 1000 && refused.length < 20; i++) {
        const res = await api.post('/items').send({ name: `item ${i}`, description });
        expect([201, 507]).toContain(res.status);
        if (res.status === 201) stored.push(res.body);
        else refused.push(i);
      }
      expect(refused.length).toBe(20);
      const acknowledged = stored.length;
      // The last write was refused: out of rotation until writes fit again.
      const notReady = await request(app).get('/health/ready').expect(503);
      expect(notReady.body.error).toEqual({ code: 'not_ready', message: expect.stringMatching(/full/) });

      // A PUT, a PATCH and a DELETE on a full disk: each is stored and says so, or is refused
      // and changes nothing (an update may still fit where a new row did not).
      const [first, second] = stored as [Item, Item];
      const put = await api.put(`/items/${first.id}`).send({ name: 'replaced', description });
      expect([200, 507]).toContain(put.status);
      if (put.status === 200) first.name = 'replaced';
      const patch = await api.patch(`/items/${first.id}`).send({ name: 'patched' });
      expect([200, 507]).toContain(patch.status);
      if (patch.status === 200) first.name = 'patched';
      const remove = await api.delete(`/items/${second.id}`);
      expect([204, 507]).toContain(remove.status);
      if (remove.status === 204) stored.splice(1, 1);

      // Every acknowledged write is there, and nothing else.
      const listed = await request(app).get(`/items?limit=100&offset=0`).expect(200);
      expect(listed.body.total).toBe(stored.length);
      for (const item of stored)
        expect((await request(app).get(`/items/${item.id}`).expect(200)).body.name).toBe(item.name);

      const refusal = lines().find((line) => line.res?.statusCode === 507);
      expect(refusal?.level).toBe(50);
      expect(refusal?.err.message).toMatch(/full/);

      rmSync(ballast);
      await request(app).get('/health/ready').expect(200);
      await api.post('/items').send({ name: 'after space was freed' }).expect(201);
      process.stdout.write(
        `full disk (512 KB tmpfs): POST ${acknowledged} acknowledged (201), ${listed.body.total} rows stored, ` +
          `${refused.length} refused (507); then PUT ${put.status}, PATCH ${patch.status}, DELETE ${remove.status}\n`,
      );
    } finally {
      await store.close();
    }
  });
});
<%_ } _%>

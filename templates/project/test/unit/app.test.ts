import request from 'supertest';
import { buildApp, captureLogs, createHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe('the app', () => {
  it('answers an unknown route with 404 in the common error shape', async () => {
    const res = await request(h.app).get('/nowhere').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /nowhere' } });
  });

  it('sends security headers and does not name its framework', async () => {
    const res = await request(h.app).get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it("echoes the caller's request id", async () => {
    const res = await request(h.app).get('/health/live').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it.each(['has spaces', 'x'.repeat(129), 'semi;colon'])('replaces an unsafe request id (%s)', async (incoming) => {
    const res = await request(h.app).get('/health/live').set('X-Request-Id', incoming).expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('bad input in the request line', () => {
  it.each(['/items/%E0%A4%A', '/%E0%A4%A', '/nowhere/%ZZ'])(
    'answers a malformed percent-encoding in the path (%s) with 400, not 404 or 500',
    async (path) => {
      const res = await request(h.app).get(path).expect(400);
      expect(res.body).toEqual({
        error: { code: 'malformed_url', message: expect.stringContaining('encodeURIComponent') },
      });
    },
  );

  it.each([
    ['TRACE', '/items', 'GET, POST, HEAD, OPTIONS'],
    ['DELETE', '/items', 'GET, POST, HEAD, OPTIONS'],
    ['POST', '/items/some-id', 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS'],
    ['PUT', '/health/live', 'GET, HEAD, OPTIONS'],
  ])(
    'answers %s %s, a method the route lacks, with 405 and Allow (before any token check)',
    async (method, path, allow) => {
      const res = await request(h.app)[method.toLowerCase() as 'trace'](path).expect(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body.error.code).toBe('method_not_allowed');
    },
  );

  it('answers OPTIONS with the methods a route has', async () => {
    const res = await request(h.app).options('/items').expect(204);
    expect(res.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
  });
});

describe('a failure inside the service', () => {
  const failingStore = () => ({
    ...h.store,
    list: () => Promise.reject(new Error('disk full at /var/secret/items.db')),
  });

  it('answers 500 without revealing the stack or the message', async () => {
    const res = await request(buildApp(failingStore())).get('/items').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    expect(res.text).not.toMatch(/secret|disk full|at /);
  });

  it('is logged at error level, with the stack', async () => {
    const { logger, lines } = captureLogs();
    await request(buildApp(failingStore(), { logger })).get('/items').expect(500);
    const [line] = lines().filter((entry) => entry.res?.statusCode === 500);
    expect(line?.level).toBe(50);
    expect(line?.err.message).toBe('disk full at /var/secret/items.db');
    expect(line?.err.stack).toMatch(/^Error: disk full[^\n]*\n\s+at /);
  });

  it("logs a client's mistake at info level, like any request", async () => {
    const { logger, lines } = captureLogs();
    await request(buildApp(h.store, { logger })).get('/items/%E0%A4%A').expect(400);
    expect(lines().find((entry) => entry.res?.statusCode === 400)?.level).toBe(30);
  });
});

describe('health', () => {
  it('is live', async () => {
    await request(h.app).get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready when the store answers', async () => {
    await request(h.app).get('/health/ready').expect(200, { status: 'ready' });
  });

  it('is not ready once shutdown has begun', async () => {
    const app = buildApp(h.store, { isShuttingDown: () => true });
    const res = await request(app).get('/health/ready').expect(503);
    expect(res.body.error.code).toBe('shutting_down');
  });

  it('is not ready when the store does not answer', async () => {
    const broken = { ...h.store, ping: () => Promise.reject(new Error('unreachable')) };
    const res = await request(buildApp(broken)).get('/health/ready').expect(503);
    expect(res.body.error.code).toBe('not_ready');
  });
});

import request from 'supertest';
import { buildApp, createHarness, type Harness } from './helpers.ts';

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

describe('a failure inside the service', () => {
  it('answers 500 without revealing the stack or the message', async () => {
    const failing = { ...h.store, list: () => Promise.reject(new Error('disk full at /var/secret/items.db')) };
    const res = await request(buildApp(failing)).get('/items').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    expect(res.text).not.toMatch(/secret|disk full|at /);
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

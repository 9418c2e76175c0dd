import request from 'supertest';
import { createMetrics, createMetricsApp } from '../../src/metrics.ts';
import { buildApp, client, createHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

/** The value of one sample in Prometheus text output, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('metrics', () => {
  it('count requests by method, route pattern and status class, never by raw URL', async () => {
    const metrics = createMetrics({ processDefaults: false });
    const app = buildApp(h.store, { metrics });
    const { body: item } = await client(app).post('/items').send({ name: 'Tea' }).expect(201);
    await client(app).get(`/items/${item.id}`).expect(200);
    await client(app).get('/items/no-such-id').expect(404);
    await client(app).get('/items/other-missing-id').expect(404);
    await request(app).get('/items/%E0%A4%A').expect(400);
    await request(app).get('/nowhere/at/all').expect(404);
    await request(app).trace('/items').expect(405);

    const res = await request(createMetricsApp(metrics.registry)).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const count = (labels: string) => sample(res.text, 'http_request_duration_seconds_count', labels);
    expect(count('method="POST",route="/items",status_class="2xx"')).toBe(1);
    expect(count('method="GET",route="/items/:id",status_class="2xx"')).toBe(1);
    expect(count('method="GET",route="/items/:id",status_class="4xx"')).toBe(2);
    expect(count('method="GET",route="unmatched",status_class="4xx"')).toBe(2);
    expect(count('method="other",route="/items",status_class="4xx"')).toBe(1);
    expect(res.text).not.toMatch(new RegExp(`${item.id}|no-such-id|nowhere|%E0`));
  });

  it('label a route by its pattern whatever the casing of the request', async () => {
    const metrics = createMetrics({ processDefaults: false });
    const app = buildApp(h.store, { metrics });
    for (const path of ['/items', '/iTeMs', '/ITEMS', '/HeAlTh/ready', '/health/ready'])
      await request(app).get(path).expect(200);

    const { text } = await request(createMetricsApp(metrics.registry)).get('/metrics').expect(200);
    const count = (labels: string) => sample(text, 'http_request_duration_seconds_count', labels);
    expect(count('method="GET",route="/items",status_class="2xx"')).toBe(3);
    expect(count('method="GET",route="/health/ready",status_class="2xx"')).toBe(2);
    expect(text).not.toMatch(/iTeMs|ITEMS|HeAlTh/);
  });

  it('answer anything but GET /metrics on their port in the API error shape, not HTML', async () => {
    const app = createMetricsApp(createMetrics({ processDefaults: false }).registry);
    const missing = await request(app).get('/nowhere').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /nowhere' } });
    const wrongMethod = await request(app).post('/metrics').expect(405);
    expect(wrongMethod.body.error.code).toBe('method_not_allowed');
    expect(wrongMethod.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('include the process defaults', async () => {
    const metrics = createMetrics();
    const res = await request(createMetricsApp(metrics.registry)).get('/metrics').expect(200);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('are not on the app port unless asked for', async () => {
    const metrics = createMetrics({ processDefaults: false });
    await request(buildApp(h.store, { metrics })).get('/metrics').expect(404);
    const res = await request(buildApp(h.store, { metrics, metricsOnAppPort: true }))
      .get('/metrics')
      .expect(200);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
  });
});

/**
 * What a running container of the image tells about itself: the OpenAPI document it was
 * built with, and Prometheus metrics on their own port that count the traffic it served.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { request } from './support/http.ts';
import { ApiContainer, baseUrl, testToken } from './support/api.ts';
import { METRICS_PORT, ROOT } from './support/project.ts';

describe('a container of the image, observed', () => {
  let api: StartedTestContainer;
  let url: string;

  beforeAll(async () => {
    api = await new ApiContainer().start();
    url = baseUrl(api);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  test('serves the committed OpenAPI document, and no reference page in production', async () => {
    const served = await request(url, 'GET', '/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json()).toEqual(JSON.parse(readFileSync(path.join(ROOT, 'openapi.json'), 'utf8')));
    expect((await request(url, 'GET', '/docs')).status).toBe(404);
  });

  test('counts the requests it served in GET /metrics, on the metrics port only', async () => {
    const metricsUrl = baseUrl(api, METRICS_PORT);
    const count = async (labels: string) => {
      const scrape = await request(metricsUrl, 'GET', '/metrics');
      expect(scrape.status).toBe(200);
      const line = scrape.body.split('\n').find((l) => l.startsWith(`http_request_duration_seconds_count{${labels}}`));
      return { value: line === undefined ? 0 : Number(line.split(' ').pop()), text: scrape.body };
    };
    const before = await count('method="GET",route="/items/:id",status_class="4xx"');

    const created = await request(url, 'POST', '/items', { token: testToken(), body: { name: 'counted' } });
    expect(created.status).toBe(201);
    for (const id of ['missing-1', 'missing-2', 'missing-3'])
      expect((await request(url, 'GET', `/items/${id}`)).status).toBe(404);

    const after = await count('method="GET",route="/items/:id",status_class="4xx"');
    expect(after.value - before.value).toBe(3);
    expect((await count('method="POST",route="/items",status_class="2xx"')).value).toBeGreaterThanOrEqual(1);
    expect(after.text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(after.text).not.toContain('missing-1');
    // Not on the public port.
    expect((await request(url, 'GET', '/metrics')).status).toBe(404);
  });
});

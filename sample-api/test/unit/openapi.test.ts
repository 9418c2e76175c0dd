import { readFileSync } from 'node:fs';
import request from 'supertest';
import { StoreError } from '../../src/items/store.ts';
import { createOpenApiDocument } from '../../src/openapi.ts';
import { conformance, document, operation, operations } from './contract.ts';
import { buildApp, client, createHarness, TOKEN, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe('the OpenAPI document', () => {
  it('is the one committed in openapi.json (run `npm run openapi` after changing routes or schemas)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(createOpenApiDocument());
  });

  it('is served at /openapi.json', async () => {
    const res = await request(h.app).get('/openapi.json').expect(200);
    expect(res.body).toEqual(document);
    expect(conformance(operation('openapi'), res)).toEqual([]);
  });

  it('says which operations need the bearer token', () => {
    const guarded = operations.filter((op) => op.spec.security?.length).map((op) => op.operationId);
    expect(guarded.sort()).toEqual(['createItem', 'deleteItem', 'replaceItem', 'updateItem']);
    expect(document.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('every documented operation answers as documented', () => {
  const create = async () => (await client(h.app).post('/items').send({ name: 'Tea' }).expect(201)).body;
  /** The app over a store whose every call fails as `kind`: a held lock, a full disk. */
  const failing = (kind: StoreError['kind']) => {
    const fail = () => Promise.reject(new StoreError(kind, `the store is ${kind}`));
    return buildApp({ ...h.store, list: fail, get: fail, create: fail, replace: fail, update: fail, remove: fail });
  };

  /** Requests that reach each documented status, per operation. */
  const cases: Record<string, [string, (id: string) => request.Test][]> = {
    listItems: [
      ['200', () => client(h.app).get('/items?limit=5&offset=0')],
      ['400', () => client(h.app).get('/items?limit=0')],
      ['503', () => request(failing('busy')).get('/items')],
    ],
    createItem: [
      ['201', () => client(h.app).post('/items').send({ name: 'Coffee', description: 'beans' })],
      ['400', () => client(h.app).post('/items').send({ name: '' })],
      ['401', () => request(h.app).post('/items').send({ name: 'Coffee' })],
      [
        '413',
        () =>
          client(h.app)
            .post('/items')
            .send({ name: 'x', description: 'y'.repeat(200_000) }),
      ],
      ['415', () => client(h.app).post('/items').set('Content-Type', 'text/plain').send('name=x')],
      ['503', () => client(failing('busy')).post('/items').send({ name: 'Coffee' })],
      ['507', () => client(failing('full')).post('/items').send({ name: 'Coffee' })],
    ],
    getItem: [
      ['200', (id) => client(h.app).get(`/items/${id}`)],
      ['400', () => client(h.app).get('/items/%E0%A4%A')],
      ['404', () => client(h.app).get('/items/no-such-id')],
      ['503', (id) => request(failing('unavailable')).get(`/items/${id}`)],
    ],
    replaceItem: [
      ['200', (id) => client(h.app).put(`/items/${id}`).send({ name: 'Green tea' })],
      ['400', (id) => client(h.app).put(`/items/${id}`).send({ name: 7 })],
      ['401', (id) => request(h.app).put(`/items/${id}`).set('Authorization', 'Bearer wrong').send({ name: 'x' })],
      ['404', () => client(h.app).put('/items/no-such-id').send({ name: 'x' })],
      [
        '413',
        (id) =>
          client(h.app)
            .put(`/items/${id}`)
            .send({ name: 'x', description: 'y'.repeat(200_000) }),
      ],
      ['415', (id) => client(h.app).put(`/items/${id}`).set('Content-Type', 'text/plain').send('x')],
      ['503', (id) => client(failing('busy')).put(`/items/${id}`).send({ name: 'x' })],
      ['507', (id) => client(failing('full')).put(`/items/${id}`).send({ name: 'x' })],
    ],
    updateItem: [
      ['200', (id) => client(h.app).patch(`/items/${id}`).send({ description: 'oolong' })],
      ['400', (id) => client(h.app).patch(`/items/${id}`).send({})],
      ['401', (id) => request(h.app).patch(`/items/${id}`).send({ name: 'x' })],
      ['404', () => client(h.app).patch('/items/no-such-id').send({ name: 'x' })],
      [
        '413',
        (id) =>
          client(h.app)
            .patch(`/items/${id}`)
            .send({ description: 'y'.repeat(200_000) }),
      ],
      ['415', (id) => client(h.app).patch(`/items/${id}`).set('Content-Type', 'text/plain').send('x')],
      ['503', (id) => client(failing('unavailable')).patch(`/items/${id}`).send({ name: 'x' })],
      ['507', (id) => client(failing('full')).patch(`/items/${id}`).send({ name: 'x' })],
    ],
    deleteItem: [
      ['204', (id) => client(h.app).delete(`/items/${id}`)],
      ['400', () => client(h.app).delete('/items/%ZZ')],
      ['401', (id) => request(h.app).delete(`/items/${id}`)],
      ['404', () => client(h.app).delete('/items/no-such-id')],
      ['503', (id) => client(failing('busy')).delete(`/items/${id}`)],
      ['507', (id) => client(failing('full')).delete(`/items/${id}`)],
    ],
    live: [['200', () => request(h.app).get('/health/live')]],
    ready: [
      ['200', () => request(h.app).get('/health/ready')],
      ['503', () => request(buildApp(h.store, { isShuttingDown: () => true })).get('/health/ready')],
    ],
    openapi: [['200', () => request(h.app).get('/openapi.json')]],
  };

  it('has a case for every operation and every status the document lists', () => {
    const documented = operations.map((op) => [
      op.operationId,
      Object.keys(op.spec.responses).filter((s) => s !== '500'),
    ]);
    const covered = operations.map((op) => [op.operationId, (cases[op.operationId] ?? []).map(([status]) => status)]);
    expect(covered).toEqual(documented);
  });

  const all = Object.entries(cases).flatMap(([operationId, list]) =>
    list.map(([status, send]) => ({ operationId, status, send })),
  );
  it.each(all)('$operationId answers $status as documented', async ({ operationId, status, send }) => {
    const { id } = await create();
    const res = await send(id);
    expect(String(res.status)).toBe(status);
    expect(conformance(operation(operationId), res)).toEqual([]);
  });

  it('is checked by a checker that refuses what the document does not allow', () => {
    const res = { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 7 }, text: '{"id":7}' };
    const problems = conformance(operation('getItem'), res as unknown as request.Response);
    expect(problems).toEqual([
      expect.stringMatching(/^header x-request-id is missing/),
      expect.stringMatching(/^body: /),
    ]);
    expect(conformance(operation('getItem'), { ...res, status: 418 } as unknown as request.Response)).toEqual([
      'status 418 is not documented for getItem',
    ]);
  });

  it('documents the 500 every operation can give, and it conforms', async () => {
    const failing = { ...h.store, list: () => Promise.reject(new Error('disk full')) };
    const res = await request(buildApp(failing)).get('/items').expect(500);
    expect(conformance(operation('listItems'), res)).toEqual([]);
  });
});

describe('the API reference page', () => {
  it('lists every operation at /docs, under the same Content Security Policy as the API', async () => {
    const [page, api] = await Promise.all([request(h.app).get('/docs').expect(200), request(h.app).get('/items')]);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const op of operations) expect(page.text).toContain(`id="${op.operationId}"`);
    expect(page.headers['content-security-policy']).toBe(api.headers['content-security-policy']);
    expect(page.text).not.toMatch(/<script|https?:\/\//);
  });

  it('is not served when turned off, as in production by default', async () => {
    const app = buildApp(h.store, { config: { bodyLimit: '100kb', apiDocs: false, apiToken: TOKEN } });
    await request(app).get('/docs').expect(404);
    await request(app).get('/openapi.json').expect(200);
  });
});

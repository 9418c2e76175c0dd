import { buildApp, client, createHarness<% if (token) { %>, TOKEN<% } %>, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

const create = (body: object) => client(h.app).post('/items').send(body).expect(201);

describe('items', () => {
  it('creates an item, with id and timestamps set by the server', async () => {
    const res = await create({ name: '  Coffee  ', description: 'beans', id: 'mine' });
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Coffee',
      description: 'beans',
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
    });
    expect(res.body.id).not.toBe('mine');
    expect(res.headers.location).toBe(`/items/${res.body.id}`);
  });

  it('reads one item', async () => {
    const { body: item } = await create({ name: 'Tea' });
    await client(h.app).get(`/items/${item.id}`).expect(200, item);
  });

  it('replaces an item with PUT, dropping fields not sent', async () => {
    const { body: item } = await create({ name: 'Tea', description: 'green' });
    const res = await client(h.app).put(`/items/${item.id}`).send({ name: 'Black tea' }).expect(200);
    expect(res.body).toEqual({ ...item, name: 'Black tea', description: undefined, updatedAt: expect.any(String) });
    expect(res.body).not.toHaveProperty('description');
  });

  it('changes only the given fields with PATCH', async () => {
    const { body: item } = await create({ name: 'Tea', description: 'green' });
    const res = await client(h.app).patch(`/items/${item.id}`).send({ description: 'oolong' }).expect(200);
    expect(res.body).toEqual({ ...item, description: 'oolong', updatedAt: expect.any(String) });
  });

  it('deletes an item', async () => {
    const { body: item } = await create({ name: 'Tea' });
    await client(h.app).delete(`/items/${item.id}`).expect(204, '');
    await client(h.app).get(`/items/${item.id}`).expect(404);
  });

  it.each([
    ['GET', (id: string) => client(h.app).get(`/items/${id}`)],
    ['PUT', (id: string) => client(h.app).put(`/items/${id}`).send({ name: 'x' })],
    ['PATCH', (id: string) => client(h.app).patch(`/items/${id}`).send({ name: 'x' })],
    ['DELETE', (id: string) => client(h.app).delete(`/items/${id}`)],
  ])('answers %s of an unknown id with 404', async (_method, send) => {
    const res = await send('no-such-id').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No item with id no-such-id' } });
  });
});

describe('paging', () => {
  beforeEach(async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await create({ name });
  });

  it('returns a page in creation order, with the total', async () => {
    const res = await client(h.app).get('/items?limit=2&offset=2').expect(200);
    expect(res.body).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(res.body.items.map((item: { name: string }) => item.name)).toEqual(['c', 'd']);
  });

  it('defaults to the first 20', async () => {
    const res = await client(h.app).get('/items').expect(200);
    expect(res.body).toMatchObject({ total: 5, limit: 20, offset: 0 });
    expect(res.body.items).toHaveLength(5);
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=two',
    'offset=-1',
    'limit=0x10',
    'limit=1e1',
    'limit= 5',
    'limit=2.0',
    'limit=',
    'offset=',
  ])('rejects %s with 400', async (query) => {
    const res = await client(h.app).get(`/items?${query}`).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details[0].path).toBe(query.split('=')[0]);
  });

  it('takes decimal digits, leading zeros included', async () => {
    const res = await client(h.app).get('/items?limit=02&offset=003').expect(200);
    expect(res.body).toMatchObject({ limit: 2, offset: 3 });
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with 400', async () => {
    const res = await client(h.app)
      .post('/items')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body).toEqual({ error: { code: 'malformed_json', message: 'The request body is not valid JSON' } });
  });

  it('answers invalid fields with 400 and one detail per problem', async () => {
    const res = await client(h.app)
      .post('/items')
      .send({ name: 'x'.repeat(201), description: 42 })
      .expect(400);
    expect(res.body.error).toEqual({
      code: 'invalid_request',
      message: 'The request has invalid fields',
      details: [
        { path: 'name', message: 'must be at most 200 characters' },
        { path: 'description', message: 'must be a string' },
      ],
    });
  });

  it.each([
    ['a missing name', {}, 'name', 'is required'],
    ['a blank name', { name: '   ' }, 'name', 'must not be empty'],
    ['an array', [{ name: 'x' }], '', expect.any(String)],
  ])('rejects %s', async (_case, body, path, message) => {
    const res = await client(h.app).post('/items').send(body).expect(400);
    expect(res.body.error.details).toEqual([{ path, message }]);
  });

  it('rejects an empty PATCH', async () => {
    const { body: item } = await create({ name: 'Tea' });
    const res = await client(h.app).patch(`/items/${item.id}`).send({}).expect(400);
    expect(res.body.error.details).toEqual([{ path: '', message: 'send at least one of: name, description' }]);
  });

  it('answers a body over the limit with 413', async () => {
    const app = buildApp(h.store, { config: { bodyLimit: '1kb', apiDocs: true<%- token ? ', apiToken: TOKEN' : '' %> } });
    const res = await client(app)
      .post('/items')
      .send({ name: 'x', description: 'y'.repeat(2000) })
      .expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it.each([
    ['post', '/items'],
    ['put', '/items/some-id'],
    ['patch', '/items/some-id'],
  ] as const)('answers a %s that is not JSON with 415', async (method, path) => {
    const res = await client(h.app)[method](path).set('Content-Type', 'text/plain').send('name=Tea').expect(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { buildApp, createHarness, TOKEN, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe('writes', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer wrong-token'],
    ['a token one character short', `Bearer ${TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${TOKEN}`],
  ])('are refused with 401 given %s', async (_case, authorization) => {
    const req = request(h.app).post('/items').send({ name: 'Tea' });
    if (authorization) req.set('Authorization', authorization);
    const res = await req.expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('are refused before the body is looked at', async () => {
    await request(h.app).post('/items').set('Content-Type', 'text/plain').send('x').expect(401);
  });

  it('need the token for DELETE too', async () => {
    await request(h.app).delete('/items/any').expect(401);
  });

  it('pass with the right token', async () => {
    await request(h.app).post('/items').set('Authorization', `Bearer ${TOKEN}`).send({ name: 'Tea' }).expect(201);
  });

  it('are all refused when the service has no token', async () => {
    const app = buildApp(h.store, { config: { bodyLimit: '100kb', apiDocs: false, apiToken: undefined } });
    await request(app).post('/items').set('Authorization', 'Bearer ').send({ name: 'Tea' }).expect(401);
    await request(app).post('/items').set('Authorization', 'Bearer undefined').send({ name: 'Tea' }).expect(401);
  });
});

it('lets anyone read', async () => {
  await request(h.app).get('/items').expect(200);
});

it('never logs the token', async () => {
  let logged = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk);
      done();
    },
  });
  const logger = createLogger({ logLevel: 'info', nodeEnv: 'test' }, sink);
  await request(buildApp(h.store, { logger }))
    .post('/items')
    .set('Authorization', `Bearer ${TOKEN}`)
    .send({ name: 'Tea' })
    .expect(201);
  expect(logged).toContain('"authorization":"[redacted]"');
  expect(logged).not.toContain(TOKEN);
});

describe('the token setting', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'token-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = (env: Record<string, string>) => () => loadConfig(env);

  it('is read from API_TOKEN_FILE, without the trailing newline', () => {
    const file = path.join(dir, 'api_token');
    writeFileSync(file, 's3cret\n');
    expect(loadConfig({ API_TOKEN_FILE: file }).apiToken).toBe('s3cret');
  });

  it('is read from API_TOKEN', () => {
    expect(loadConfig({ API_TOKEN: 's3cret' }).apiToken).toBe('s3cret');
  });

  it('may be missing outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).apiToken).toBeUndefined();
  });

  it('is required in production, saying what to set', () => {
    expect(refusal({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(refusal({ NODE_ENV: 'production' })).toThrow(/API_TOKEN_FILE .*API_TOKEN/s);
  });

  it('names API_TOKEN_FILE when the file cannot be read', () => {
    expect(refusal({ API_TOKEN_FILE: path.join(dir, 'missing') })).toThrow(
      /API_TOKEN_FILE: cannot read .*missing \(ENOENT\)/,
    );
  });

  it('refuses an empty file', () => {
    const file = path.join(dir, 'api_token');
    writeFileSync(file, '\n');
    expect(refusal({ API_TOKEN_FILE: file })).toThrow(/API_TOKEN_FILE: .* is empty/);
  });

  it.each([
    ['an inner newline', 'first\nsecond\n'],
    ['a space inside', 'two words'],
    ['non-ASCII bytes', 'caf\u00e9-token'],
    ['a NUL byte', 'to\u0000ken'],
  ])('refuses a file whose token holds %s, in one line that does not repeat it', (_case, content) => {
    const file = path.join(dir, 'api_token');
    writeFileSync(file, content);
    let message = '';
    try {
      loadConfig({ API_TOKEN_FILE: file });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^Invalid configuration: API_TOKEN_FILE: .*api_token must hold the token alone on one line, printable ASCII/,
    );
    expect(message).not.toContain('\n');
    expect(message).not.toContain(content.trim().split(/\s/)[0]);
  });

  it.each([' ', '   \t', 'two words', 'line\nbreak'])(
    'refuses an API_TOKEN that cannot be sent in a header (%j)',
    (token) => {
      expect(refusal({ API_TOKEN: token })).toThrow(
        /^Invalid configuration: API_TOKEN: must be printable ASCII with no space or line break/,
      );
    },
  );

  it('refuses both ways at once', () => {
    expect(refusal({ API_TOKEN_FILE: '/run/secrets/api_token', API_TOKEN: 'x' })).toThrow(/not both/);
  });
});

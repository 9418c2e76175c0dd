import { ConfigError, loadConfig } from '../../src/config.ts';

<%_ if (token) { _%>
// Token settings are covered in auth.test.ts; a token here keeps production valid.
const base = { API_TOKEN: 'x' };
<%_ } else { _%>
const base = {};
<%_ } _%>

function problemsWith(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('has defaults for everything', () => {
    expect(loadConfig(base)).toMatchObject({
      nodeEnv: 'development',
      host: '0.0.0.0',
      port: <%- port %>,
<%_ if (sqlite) { _%>
      dataDir: './data',
<%_ } _%>
      logLevel: 'info',
      bodyLimit: '100kb',
      apiDocs: true,
      metricsPort: 9464,
      shutdownTimeoutMs: <%- shutdownTimeoutMs %>,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
    });
  });

  it('keeps idle connections open longer than a load balancer would (60 s on AWS ALB and nginx)', () => {
    const { keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs } = loadConfig(base);
    expect(keepAliveTimeoutMs).toBeGreaterThan(60_000);
    expect(headersTimeoutMs).toBeLessThanOrEqual(requestTimeoutMs);
  });

  it('turns the reference page off in production, unless API_DOCS says otherwise', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).apiDocs).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', API_DOCS: 'true' }).apiDocs).toBe(true);
    expect(loadConfig({ ...base, API_DOCS: 'false' }).apiDocs).toBe(false);
  });

  it('turns metrics off with METRICS_PORT=off', () => {
    expect(loadConfig({ ...base, METRICS_PORT: 'off' }).metricsPort).toBeUndefined();
    expect(loadConfig({ ...base, METRICS_PORT: '9100' }).metricsPort).toBe(9100);
  });

  it('reads the environment', () => {
    const config = loadConfig({
      ...base,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '8081',
<%_ if (sqlite) { _%>
      DATA_DIR: '/app/data',
<%_ } _%>
      LOG_LEVEL: 'warn',
      BODY_LIMIT: '1mb',
      SHUTDOWN_TIMEOUT_MS: '3000',
      HEADERS_TIMEOUT_MS: '5000',
      REQUEST_TIMEOUT_MS: '10000',
      KEEP_ALIVE_TIMEOUT_MS: '620000',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      host: '127.0.0.1',
      port: 8081,
<%_ if (sqlite) { _%>
      dataDir: '/app/data',
<%_ } _%>
      logLevel: 'warn',
      bodyLimit: '1mb',
      shutdownTimeoutMs: 3000,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 620_000,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...base, PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: <%- port %>, logLevel: 'info' });
  });

  it.each([
    ['PORT', 'eighty', 'PORT: must be a whole number from 0 to 65535 (got "eighty")'],
    ['PORT', '70000', 'PORT: must be a whole number from 0 to 65535 (got "70000")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: '],
    ['BODY_LIMIT', 'lots', 'BODY_LIMIT: must be a size such as 100kb, 1mb or 2048 (bytes) (got "lots")'],
    ['SHUTDOWN_TIMEOUT_MS', '0', 'SHUTDOWN_TIMEOUT_MS: must be a whole number of milliseconds, above 0'],
    ['NODE_ENV', 'staging', 'NODE_ENV: '],
    ['API_DOCS', 'maybe', 'API_DOCS: must be true or false (got "maybe")'],
    ['METRICS_PORT', 'on', 'METRICS_PORT: must be a port number (0 to 65535) or off (got "on")'],
    [
      'KEEP_ALIVE_TIMEOUT_MS',
      '65s',
      'KEEP_ALIVE_TIMEOUT_MS: must be a whole number of milliseconds, above 0 (got "65s")',
    ],
    ['HEADERS_TIMEOUT_MS', '40000', 'HEADERS_TIMEOUT_MS: must not be above REQUEST_TIMEOUT_MS (30000)'],
  ])('names %s when it is invalid (%s)', (name, value, expected) => {
    expect(problemsWith({ [name]: value })).toContain(expected);
  });

  it('says a single problem in one line, for a person reading a failed start', () => {
    expect(problemsWith({ PORT: 'x' })).toBe(
      'Invalid configuration: PORT: must be a whole number from 0 to 65535 (got "x")',
    );
  });

  it('lists every problem at once', () => {
    const message = problemsWith({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(message).toMatch(/PORT: .*\n.*LOG_LEVEL: /);
  });
});

/**
 * Configuration comes from the environment only, and is checked once at start: a typo in
 * a variable should stop the service with a message naming it, not surface as a strange
 * failure hours later.
 */
<%_ if (token || postgres) { _%>
import { readFileSync } from 'node:fs';
<%_ } _%>
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const PORT = { error: 'must be a whole number from 0 to 65535' };
const MILLISECONDS = { error: 'must be a whole number of milliseconds, above 0' };

const milliseconds = (fallback: number) =>
  z.coerce.number(MILLISECONDS).int(MILLISECONDS).positive(MILLISECONDS).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number(PORT).int(PORT).min(0, PORT).max(65535, PORT).default(<%- port %>),
<%_ if (sqlite) { _%>
  DATA_DIR: z.string().default('./data'),
<%_ } _%>
<%_ if (postgres) { _%>
  DATABASE_HOST: z.string().default('localhost'),
  DATABASE_PORT: z.coerce.number(PORT).int(PORT).min(1, PORT).max(65535, PORT).default(5432),
  DATABASE_USER: z.string().default('app'),
  DATABASE_NAME: z.string().default('app'),
  DATABASE_PASSWORD_FILE: z.string().optional(),
  DATABASE_PASSWORD: z.string().optional(),
  // Connections each replica holds at most: replicas × this must stay under the server's
  // max_connections (100 by default), with room for migrations and an operator's psql.
  DATABASE_POOL_MAX: z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int({ error: 'must be a whole number from 1 to 100' })
    .min(1, { error: 'must be a whole number from 1 to 100' })
    .max(100, { error: 'must be a whole number from 1 to 100' })
    .default(10),
<%_ } _%>
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(b|kb|mb)?$/i, { error: 'must be a size such as 100kb, 1mb or 2048 (bytes)' })
    .default('100kb'),
  // The reference page at /docs: on outside production unless turned off, off in production
  // unless turned on (it tells a visitor every route; /openapi.json is always served).
  API_DOCS: z.stringbool({ error: 'must be true or false' }).optional(),
  // Metrics get a port of their own by default: they tell anyone who can read them the
  // routes, the traffic and the memory of the service, so they stay off the port that is
  // published, and a second port needs no secret to manage. Prometheus reaches it over the
  // container network. Set it to PORT to serve /metrics on the app's port, or to off.
  METRICS_PORT: z
    .union([z.literal('off'), z.coerce.number(PORT).int(PORT).min(0, PORT).max(65535, PORT)], {
      error: 'must be a port number (0 to 65535) or off',
    })
    .default(9464),
  // Docker sends SIGKILL 10 s after SIGTERM; finishing well before that keeps shutdown clean.
  SHUTDOWN_TIMEOUT_MS: milliseconds(<%- shutdownTimeoutMs %>),
  // How long a client may take to send a request's headers, and the whole request with its
  // body: a client that trickles bytes (by accident or to exhaust the server, "slowloris")
  // is answered 408 and cut off. Node's own defaults, 60 s and 300 s, are for servers that
  // face slow networks directly; behind a proxy the proxy buffers, and 20 s and 30 s are ample.
  HEADERS_TIMEOUT_MS: milliseconds(20_000),
  REQUEST_TIMEOUT_MS: milliseconds(30_000),
  // How long an idle kept-alive connection stays open. It must outlast the idle timeout of
  // the load balancer or proxy in front (60 s on AWS ALB and in nginx), so that the balancer,
  // never the server, closes it: a connection the server closes just as the balancer sends
  // on it fails that request with a 502. Node's default is 5 s. Raise it above the
  // balancer's (Google Cloud's keeps connections for 600 s).
  KEEP_ALIVE_TIMEOUT_MS: milliseconds(65_000),
<%_ if (token) { _%>
  API_TOKEN_FILE: z.string().optional(),
  API_TOKEN: z.string().optional(),
<%_ } _%>
});

type Env = z.infer<typeof envSchema>;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  host: string;
  port: number;
<%_ if (sqlite) { _%>
  dataDir: string;
<%_ } _%>
<%_ if (postgres) { _%>
  database: DatabaseConfig;
<%_ } _%>
  logLevel: Env['LOG_LEVEL'];
  bodyLimit: string;
  /** Whether GET /docs serves the API reference page. */
  apiDocs: boolean;
  /** Where GET /metrics is served; `undefined` when metrics are off. */
  metricsPort: number | undefined;
  shutdownTimeoutMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
<%_ if (token) { _%>
  /** The bearer token writes must present; without one every write is refused. */
  apiToken: string | undefined;
<%_ } _%>
}

<%_ if (postgres) { _%>
export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  database: string;
  password: string | undefined;
  poolMax: number;
}

<%_ } _%>
export class ConfigError extends Error {
  override name = 'ConfigError';

  /** One line for one problem, a line each for several: read by a person at a terminal. */
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

/** Reads and checks the configuration; throws a ConfigError listing every problem. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // `PORT=` in an env file or `${PORT:-}` in compose means "not set", not "empty string".
  const env = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}: ${issue.message} (got ${JSON.stringify(env[name])})`;
      }),
    );
  }
  const vars = parsed.data;
  // Node refuses a server whose headers may take longer than the whole request.
  if (vars.HEADERS_TIMEOUT_MS > vars.REQUEST_TIMEOUT_MS) {
    throw new ConfigError([`HEADERS_TIMEOUT_MS: must not be above REQUEST_TIMEOUT_MS (${vars.REQUEST_TIMEOUT_MS})`]);
  }
<%_ if (postgres) { _%>
  const databasePassword = readDatabasePassword(vars);
<%_ } _%>
<%_ if (token) { _%>
  const apiToken = readApiToken(vars);
  if (apiToken === undefined && vars.NODE_ENV === 'production') {
    throw new ConfigError([
      'No API token: set API_TOKEN_FILE to a file holding the token ' +
        '(compose mounts the secret at /run/secrets/api_token), or API_TOKEN to the token itself.',
    ]);
  }
<%_ } _%>
  return {
    nodeEnv: vars.NODE_ENV,
    host: vars.HOST,
    port: vars.PORT,
<%_ if (sqlite) { _%>
    dataDir: vars.DATA_DIR,
<%_ } _%>
<%_ if (postgres) { _%>
    database: {
      host: vars.DATABASE_HOST,
      port: vars.DATABASE_PORT,
      user: vars.DATABASE_USER,
      database: vars.DATABASE_NAME,
      password: databasePassword,
      poolMax: vars.DATABASE_POOL_MAX,
    },
<%_ } _%>
    logLevel: vars.LOG_LEVEL,
    bodyLimit: vars.BODY_LIMIT,
    apiDocs: vars.API_DOCS ?? vars.NODE_ENV !== 'production',
    metricsPort: vars.METRICS_PORT === 'off' ? undefined : vars.METRICS_PORT,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    headersTimeoutMs: vars.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: vars.KEEP_ALIVE_TIMEOUT_MS,
<%_ if (token) { _%>
    apiToken,
<%_ } _%>
  };
}
<%_ if (token) { _%>

/**
 * What an Authorization header can carry: printable ASCII, no space. A token with a line
 * break, a space or a non-ASCII character inside can never be presented, so every write
 * would get 401: better to refuse to start.
 */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * A file is the safe way to hand over a secret: unlike a variable it does not show up in
 * `docker inspect`, in /proc/<pid>/environ or in the environment of child processes.
 * Neither message below repeats the token: it would end up in the logs.
 */
function readApiToken(vars: Env): string | undefined {
  if (vars.API_TOKEN_FILE !== undefined && vars.API_TOKEN !== undefined) {
    throw new ConfigError(['Set API_TOKEN_FILE or API_TOKEN, not both.']);
  }
  if (vars.API_TOKEN_FILE === undefined) {
    if (vars.API_TOKEN !== undefined && !TOKEN_CHARACTERS.test(vars.API_TOKEN)) {
      throw new ConfigError([
        'API_TOKEN: must be printable ASCII with no space or line break (it is sent in the Authorization header)',
      ]);
    }
    return vars.API_TOKEN;
  }
  let token: string;
  try {
    // Editors and `echo` add a trailing newline that is not part of the token.
    token = readFileSync(vars.API_TOKEN_FILE, 'utf8').trim();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([`API_TOKEN_FILE: cannot read ${vars.API_TOKEN_FILE} (${reason})`]);
  }
  if (token === '') {
    throw new ConfigError([`API_TOKEN_FILE: ${vars.API_TOKEN_FILE} is empty`]);
  }
  if (!TOKEN_CHARACTERS.test(token)) {
    throw new ConfigError([
      `API_TOKEN_FILE: ${vars.API_TOKEN_FILE} must hold the token alone on one line, printable ASCII with no space (it is sent in the Authorization header)`,
    ]);
  }
  return token;
}
<%_ } _%>
<%_ if (postgres) { _%>

/**
 * The database password, from a file (compose and Kubernetes mount the secret at
 * /run/secrets/db_password) or, for quick local runs, from DATABASE_PASSWORD itself; none for
 * a server that trusts the connection (a wrong or missing one is logged at each connect try).
 * No message repeats it.
 */
function readDatabasePassword(vars: Env): string | undefined {
  if (vars.DATABASE_PASSWORD_FILE !== undefined && vars.DATABASE_PASSWORD !== undefined) {
    throw new ConfigError(['Set DATABASE_PASSWORD_FILE or DATABASE_PASSWORD, not both.']);
  }
  if (vars.DATABASE_PASSWORD_FILE === undefined) return vars.DATABASE_PASSWORD;
  let password: string;
  try {
    // Editors and `echo` add a trailing newline that is not part of the password.
    password = readFileSync(vars.DATABASE_PASSWORD_FILE, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([`DATABASE_PASSWORD_FILE: cannot read ${vars.DATABASE_PASSWORD_FILE} (${reason})`]);
  }
  if (password === '') throw new ConfigError([`DATABASE_PASSWORD_FILE: ${vars.DATABASE_PASSWORD_FILE} is empty`]);
  return password;
}
<%_ } _%>

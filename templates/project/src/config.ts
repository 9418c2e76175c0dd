/**
 * Configuration comes from the environment only, and is checked once at start: a typo in
 * a variable should stop the service with a message naming it, not surface as a strange
 * failure hours later.
 */
<%_ if (token) { _%>
import { readFileSync } from 'node:fs';
<%_ } _%>
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const PORT = { error: 'must be a whole number from 0 to 65535' };
const MILLISECONDS = { error: 'must be a whole number of milliseconds, above 0' };

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number(PORT).int(PORT).min(0, PORT).max(65535, PORT).default(<%- port %>),
<%_ if (sqlite) { _%>
  DATA_DIR: z.string().default('./data'),
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
  SHUTDOWN_TIMEOUT_MS: z.coerce.number(MILLISECONDS).int(MILLISECONDS).positive(MILLISECONDS).default(<%- shutdownTimeoutMs %>),
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
  logLevel: Env['LOG_LEVEL'];
  bodyLimit: string;
  /** Whether GET /docs serves the API reference page. */
  apiDocs: boolean;
  /** Where GET /metrics is served; `undefined` when metrics are off. */
  metricsPort: number | undefined;
  shutdownTimeoutMs: number;
<%_ if (token) { _%>
  /** The bearer token writes must present; without one every write is refused. */
  apiToken: string | undefined;
<%_ } _%>
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and checks the configuration; throws a ConfigError listing every problem. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // `PORT=` in an env file or `${PORT:-}` in compose means "not set", not "empty string".
  const env = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name}: ${issue.message} (got ${JSON.stringify(env[name])})`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const vars = parsed.data;
<%_ if (token) { _%>
  const apiToken = readApiToken(vars);
  if (apiToken === undefined && vars.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration:\n  No API token: set API_TOKEN_FILE to a file holding the token ' +
        '(compose mounts the secret at /run/secrets/api_token), or API_TOKEN to the token itself.',
    );
  }
<%_ } _%>
  return {
    nodeEnv: vars.NODE_ENV,
    host: vars.HOST,
    port: vars.PORT,
<%_ if (sqlite) { _%>
    dataDir: vars.DATA_DIR,
<%_ } _%>
    logLevel: vars.LOG_LEVEL,
    bodyLimit: vars.BODY_LIMIT,
    apiDocs: vars.API_DOCS ?? vars.NODE_ENV !== 'production',
    metricsPort: vars.METRICS_PORT === 'off' ? undefined : vars.METRICS_PORT,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
<%_ if (token) { _%>
    apiToken,
<%_ } _%>
  };
}
<%_ if (token) { _%>

/**
 * A file is the safe way to hand over a secret: unlike a variable it does not show up in
 * `docker inspect`, in /proc/<pid>/environ or in the environment of child processes.
 */
function readApiToken(vars: Env): string | undefined {
  if (vars.API_TOKEN_FILE !== undefined && vars.API_TOKEN !== undefined) {
    throw new ConfigError('Invalid configuration:\n  Set API_TOKEN_FILE or API_TOKEN, not both.');
  }
  if (vars.API_TOKEN_FILE === undefined) return vars.API_TOKEN;
  let token: string;
  try {
    // Editors and `echo` add a trailing newline that is not part of the token.
    token = readFileSync(vars.API_TOKEN_FILE, 'utf8').trim();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`Invalid configuration:\n  API_TOKEN_FILE: cannot read ${vars.API_TOKEN_FILE} (${reason})`);
  }
  if (token === '') {
    throw new ConfigError(`Invalid configuration:\n  API_TOKEN_FILE: ${vars.API_TOKEN_FILE} is empty`);
  }
  return token;
}
<%_ } _%>

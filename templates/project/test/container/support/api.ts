/**
 * Containers of the test image, started through testcontainers with what every test
 * needs: the port, the suite's label (teardown finds leftovers by it)<%- token ? ', the token file' : '' %>,
 * and a wait for GET /health/ready.
 */
<%_ if (token) { _%>
import { readFileSync } from 'node:fs';
<%_ } _%>
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
<%_ if (postgres) { _%>
import {
  METRICS_PORT,
  NODE_BIN,
  PORT,
  SLUG,
  TEST_IMAGE,
  TEST_LABEL,
<%_ if (token) { _%>
  SECRET_PATH,
  TEST_TOKEN_FILE,
<%_ } _%>
  DB_HOST,
  DB_NETWORK,
  DB_SECRET_PATH,
  TEST_DB_PASSWORD_FILE,
} from './project.ts';
<%_ } else { _%>
import { METRICS_PORT, NODE_BIN, PORT, SLUG, TEST_IMAGE, TEST_LABEL<% if (token) { %>, SECRET_PATH, TEST_TOKEN_FILE<% } %> } from './project.ts';
<%_ } _%>

export class ApiContainer extends GenericContainer {
  readonly #binds: string[] = [];

  constructor() {
    super(TEST_IMAGE);
    this.withExposedPorts(PORT, METRICS_PORT)
      .withLabels({ [TEST_LABEL]: SLUG })
      .withEnvironment({ LOG_LEVEL: 'warn' })
      .withWaitStrategy(Wait.forHttp('/health/ready', PORT).forStatusCode(200))
      .withStartupTimeout(60_000);
<%_ if (token) { _%>
    // The token as compose hands it over: a read-only file under /run/secrets.
    this.withMount(`${TEST_TOKEN_FILE}:${SECRET_PATH}:ro`).withEnvironment({ API_TOKEN_FILE: SECRET_PATH });
<%_ } _%>
<%_ if (postgres) { _%>
    // The suite's database (global-setup.ts), on its network and with its password file, as
    // compose hands them over.
    this.withNetworkMode(DB_NETWORK)
      .withMount(`${TEST_DB_PASSWORD_FILE}:${DB_SECRET_PATH}:ro`)
      .withEnvironment({ DATABASE_HOST: DB_HOST, DATABASE_PASSWORD_FILE: DB_SECRET_PATH });
<%_ } _%>
  }

  /** A bind mount or a named volume ("name:/path:ro"); testcontainers' own setter replaces, this adds. */
  withMount(bind: string): this {
    this.#binds.push(bind);
    this.hostConfig.Binds = [...this.#binds];
    return this;
  }

  /** `docker run --read-only`: testcontainers has no setter for it. */
  withReadOnlyRootFilesystem(): this {
    this.hostConfig.ReadonlyRootfs = true;
    return this;
  }
}

export function baseUrl(container: StartedTestContainer, port = PORT): string {
  return `http://${container.getHost()}:${container.getMappedPort(port)}`;
}

<%_ if (token) { _%>
/** The token the suite's containers accept (written by global-setup.ts). */
export function testToken(): string {
  return readFileSync(TEST_TOKEN_FILE, 'utf8').trim();
}

<%_ } _%>
/** Runs a CommonJS snippet with the image's own node, as the container's user; returns stdout. */
export async function nodeEval(container: StartedTestContainer, script: string): Promise<string> {
  const result = await container.exec([NODE_BIN, '-e', script]);
  if (result.exitCode !== 0) {
    throw new Error(`node -e in the container exited with ${result.exitCode}:\n${result.output}`);
  }
  return result.stdout;
}

/** Fields of /proc/<pid>/status inside the container (Uid, CapEff, NoNewPrivs, ...). */
export async function processStatus(container: StartedTestContainer, pid = 1): Promise<Record<string, string>> {
  const text = await nodeEval(
    container,
    `process.stdout.write(require('fs').readFileSync('/proc/${pid}/status', 'utf8'))`,
  );
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

/** The command line of a process inside the container, arguments joined by spaces. */
export async function processCommand(container: StartedTestContainer, pid = 1): Promise<string> {
  return nodeEval(
    container,
    `process.stdout.write(require('fs').readFileSync('/proc/${pid}/cmdline', 'utf8').split('\\0').filter(Boolean).join(' '))`,
  );
}

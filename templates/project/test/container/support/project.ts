/**
 * Facts about this project that the container tests share: where it is, what the
 * image and the resources the tests make are called, and how the image runs.
 *
 * Every name is fixed and derived from the package name, so a crashed run leaves
 * things that the next run's teardown finds and removes.
 */
import { readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The project root: <%- install.packageManager %> runs scripts there, and so does jest's rootDir. */
export const ROOT = process.cwd();
if (!existsSync(path.join(ROOT, 'Dockerfile')) || !existsSync(path.join(ROOT, 'package.json'))) {
  throw new Error(
    `Run the container tests from the project root (found no Dockerfile in ${ROOT}): <%- install.run('test:container') %>`,
  );
}

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
export const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

/**
 * The project's name for images, volumes and compose projects, as compose.yaml uses it
 * (fixed when the project was generated): "@acme/orders-api" → "orders-api".
 */
export const SLUG = '<%- slug %>';

/** The image the suite builds once per run (global-setup.ts) and removes at the end. */
export const TEST_IMAGE = `${SLUG}:container-test`;
/** Label on every container the suite starts itself, so teardown can find leftovers. */
export const TEST_LABEL = 'container-test.project';
/** The named volume of the persistence test. */
export const TEST_VOLUME = `${SLUG}-container-test-data`;
/** The compose project of the compose test. */
export const COMPOSE_PROJECT = `${SLUG}-container-test`;
/** The compose project of the watch test, and the dev image it builds. */
export const WATCH_PROJECT = `${SLUG}-watch-test`;
export const DEV_TEST_IMAGE = `${SLUG}:dev-test`;
/** Scratch space of one run: the build log, the test token, saved image archives. */
export const WORK_DIR = path.join(tmpdir(), `${SLUG}-container-test`);
export const BUILD_LOG = path.join(WORK_DIR, 'build.log');
/** Token file bind-mounted into the containers the suite starts (not the project's own). */
export const TEST_TOKEN_FILE = path.join(WORK_DIR, 'api_token');
/** The project's own token, used by compose.yaml. Ignored by git and by the build context. */
export const PROJECT_TOKEN_FILE = path.join(ROOT, 'secrets', 'api_token');
<%_ if (postgres) { _%>
/**
 * The suite's database: one postgres:17 container (started by global-setup.ts) on a network of
 * the suite's own, where the api containers reach it as `db`, as in compose.yaml.
 */
export const DB_IMAGE = 'postgres:17';
export const DB_CONTAINER = `${SLUG}-container-test-db`;
export const DB_NETWORK = `${SLUG}-container-test-db`;
export const DB_HOST = 'db';
/** Its password file, bind-mounted where compose mounts the secret; and the project's own. */
export const TEST_DB_PASSWORD_FILE = path.join(WORK_DIR, 'db_password');
export const PROJECT_DB_PASSWORD_FILE = path.join(ROOT, 'secrets', 'db_password');
export const DB_SECRET_PATH = '/run/secrets/db_password';
<%_ } _%>

/** How the image runs (fixed when the project was generated). */
export const PORT = <%- port %>;
<%_ if (metricsPort) { _%>
/** Where the image serves GET /metrics: a port of its own, the app's default. */
export const METRICS_PORT = <%- metricsPort %>;
<%_ } _%>
export const APP_UID = <%- appUid %>;
/** The node binary inside the runtime image<%- distroless ? ' (distroless: not on PATH)' : '' %>. */
export const NODE_BIN = '<%- nodeBin %>';
export const SECRET_PATH = '/run/secrets/api_token';
<%_ if (dataDir) { _%>
export const DATA_DIR = '<%- dataDir %>';
<%_ } _%>

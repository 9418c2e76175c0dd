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

/** The project root: npm runs scripts there, and so does jest's rootDir. */
export const ROOT = process.cwd();
if (!existsSync(path.join(ROOT, 'Dockerfile')) || !existsSync(path.join(ROOT, 'package.json'))) {
  throw new Error(
    `Run the container tests from the project root (found no Dockerfile in ${ROOT}): npm run test:container`,
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
export const SLUG = 'sample-api';

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

/** How the image runs (fixed when the project was generated). */
export const PORT = 3000;
/** Where the image serves GET /metrics: a port of its own, the app's default. */
export const METRICS_PORT = 9464;
export const APP_UID = 1000;
/** The node binary inside the runtime image. */
export const NODE_BIN = 'node';
export const SECRET_PATH = '/run/secrets/api_token';
export const DATA_DIR = '/app/data';

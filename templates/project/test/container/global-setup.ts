/**
 * Runs once before the container tests: builds the image they all use. The build is the
 * slow part, so it happens here and only here; a warm run reuses BuildKit's cache.
 */
<%_ if (token || postgres) { _%>
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
<%_ } else { _%>
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
<%_ } _%>
<%_ if (postgres) { _%>
import { buildImage, docker, requireEngine } from './support/docker.ts';
<%_ } else { _%>
import { buildImage, requireEngine } from './support/docker.ts';
<%_ } _%>
<%_ if (postgres) { _%>
import {
  BUILD_LOG,
  ROOT,
  TEST_IMAGE,
  WORK_DIR,
<%_ if (token) { _%>
  PROJECT_TOKEN_FILE,
  TEST_TOKEN_FILE,
<%_ } _%>
  DB_CONTAINER,
  DB_HOST,
  DB_IMAGE,
  DB_NETWORK,
  DB_SECRET_PATH,
  PROJECT_DB_PASSWORD_FILE,
  SLUG,
  TEST_DB_PASSWORD_FILE,
  TEST_LABEL,
} from './support/project.ts';
<%_ } else { _%>
import { BUILD_LOG, ROOT, TEST_IMAGE, WORK_DIR<% if (token) { %>, PROJECT_TOKEN_FILE, TEST_TOKEN_FILE<% } %> } from './support/project.ts';
<%_ } _%>
import { cleanUp } from './support/cleanup.ts';

export default async function globalSetup(): Promise<void> {
  await requireEngine();
  // Whatever a crashed earlier run left behind would clash with the fixed names.
  await cleanUp();
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
<%_ if (token) { _%>

  // compose.yaml reads the project's token from secrets/api_token. A fresh clone has none
  // (git ignores it): make one, as the generator does. The directory stays private; the file
  // must be readable by the container's user, since compose bind-mounts it as it is.
  if (!existsSync(PROJECT_TOKEN_FILE)) {
    mkdirSync(path.dirname(PROJECT_TOKEN_FILE), { recursive: true, mode: 0o700 });
    writeFileSync(PROJECT_TOKEN_FILE, randomBytes(32).toString('hex'), { mode: 0o644 });
  }
  // The suite's own containers get a token of their own, used for this run only.
  writeFileSync(TEST_TOKEN_FILE, randomBytes(32).toString('hex'));
  chmodSync(TEST_TOKEN_FILE, 0o444);
<%_ } _%>
<%_ if (postgres) { _%>

  // compose.yaml's db service and the api read secrets/db_password; a fresh clone has none.
  if (!existsSync(PROJECT_DB_PASSWORD_FILE)) {
    mkdirSync(path.dirname(PROJECT_DB_PASSWORD_FILE), { recursive: true, mode: 0o700 });
    writeFileSync(PROJECT_DB_PASSWORD_FILE, randomBytes(24).toString('hex'), { mode: 0o644 });
  }
  // The suite's own database, shared by every api container it starts: it initializes while
  // the image builds, and the api waits for it as it would in compose.
  writeFileSync(TEST_DB_PASSWORD_FILE, randomBytes(24).toString('hex'));
  chmodSync(TEST_DB_PASSWORD_FILE, 0o444);
  await docker(['network', 'create', '--label', `${TEST_LABEL}=${SLUG}`, DB_NETWORK]);
  await docker([
    'run',
    '--detach',
    '--name',
    DB_CONTAINER,
    '--label',
    `${TEST_LABEL}=${SLUG}`,
    '--network',
    DB_NETWORK,
    '--network-alias',
    DB_HOST,
    '--env',
    'POSTGRES_USER=app',
    '--env',
    'POSTGRES_DB=app',
    '--env',
    `POSTGRES_PASSWORD_FILE=${DB_SECRET_PATH}`,
    '--volume',
    `${TEST_DB_PASSWORD_FILE}:${DB_SECRET_PATH}:ro`,
    DB_IMAGE,
  ]);
<%_ } _%>

  const started = Date.now();
  const log = await buildImage({ context: ROOT, tag: TEST_IMAGE });
  writeFileSync(BUILD_LOG, log);
  process.stdout.write(`\ncontainer tests: built ${TEST_IMAGE} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

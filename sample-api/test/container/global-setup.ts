/**
 * Runs once before the container tests: builds the image they all use. The build is the
 * slow part, so it happens here and only here; a warm run reuses BuildKit's cache.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildImage, requireEngine } from './support/docker.ts';
import { BUILD_LOG, ROOT, TEST_IMAGE, WORK_DIR, PROJECT_TOKEN_FILE, TEST_TOKEN_FILE } from './support/project.ts';
import { cleanUp } from './support/cleanup.ts';

export default async function globalSetup(): Promise<void> {
  await requireEngine();
  // Whatever a crashed earlier run left behind would clash with the fixed names.
  await cleanUp();
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });

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

  const started = Date.now();
  const log = await buildImage({ context: ROOT, tag: TEST_IMAGE });
  writeFileSync(BUILD_LOG, log);
  process.stdout.write(`\ncontainer tests: built ${TEST_IMAGE} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

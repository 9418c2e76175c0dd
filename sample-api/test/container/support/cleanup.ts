/**
 * Removes what the suite makes: its containers (found by label), the compose project,
 * the named volume and the test image. Ryuk, testcontainers' own reaper, is not relied on:
 * it cannot run everywhere (it must be pulled), and explicit cleanup is easier to check.
 */
import { tmpdir } from 'node:os';
import { docker, removeQuietly, runDocker } from './docker.ts';
import {
  COMPOSE_PROJECT,
  DEV_TEST_IMAGE,
  SLUG,
  TEST_IMAGE,
  TEST_LABEL,
  TEST_VOLUME,
  WATCH_PROJECT,
} from './project.ts';

export async function cleanUp(options: { removeImage?: boolean } = {}): Promise<void> {
  const ids = (await docker(['ps', '--all', '--quiet', '--filter', `label=${TEST_LABEL}=${SLUG}`]))
    .split('\n')
    .filter(Boolean);
  await removeQuietly('container', ids);
  // `down` by project name needs no compose file: compose finds the project by its labels.
  // Run it away from compose.yaml, so a missing secrets/api_token cannot make it fail.
  for (const project of [COMPOSE_PROJECT, WATCH_PROJECT]) {
    await runDocker(['compose', '--project-name', project, 'down', '--volumes', '--remove-orphans', '--timeout', '0'], {
      cwd: tmpdir(),
    });
  }
  await removeQuietly('image', [DEV_TEST_IMAGE]);
  await removeQuietly('volume', [TEST_VOLUME]);
  if (options.removeImage) await removeQuietly('image', [TEST_IMAGE]);
}

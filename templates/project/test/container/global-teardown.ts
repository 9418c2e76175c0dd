/** Runs once after the container tests: removes everything the suite made. */
import { rmSync } from 'node:fs';
import { cleanUp } from './support/cleanup.ts';
import { WORK_DIR } from './support/project.ts';

export default async function globalTeardown(): Promise<void> {
  await cleanUp({ removeImage: true });
  rmSync(WORK_DIR, { recursive: true, force: true });
}

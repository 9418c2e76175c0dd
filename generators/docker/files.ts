/**
 * Which of this generator's own files (templates/docker) an existing project gets, beside the
 * shared container layer: a README.Docker.md, one container test in the project's own runner,
 * and the graceful-stop preload when the app needs it.
 */
import type { FileRule } from '../lib/files.js';
import type { ExistingModel } from './model.js';

export const FILE_RULES: readonly FileRule<ExistingModel>[] = [
  // Written where its runner loads it (test-runners.ts), with Vitest's config of its own.
  { template: 'test/container/vitest.config.mjs', when: (m) => m.containerTest.is.vitest },
  { template: 'docker/graceful-stop.mjs', when: (m) => m.stop.preload !== undefined },
];

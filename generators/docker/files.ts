/** Which files of the container layer a container model gets. */
import type { FileRule } from '../lib/files.js';
import type { ContainerModel } from './model.js';
import type { TestRunner } from './test-runners.js';

/** The container model, and for an existing project the runner its container test is written for. */
export type LayerModel = ContainerModel & { testRunner?: TestRunner };

const generated = (m: LayerModel) => !m.existing;
const existing = (m: LayerModel) => m.existing;

export const FILE_RULES: readonly FileRule<LayerModel>[] = [
  // The generated API's container tests are TypeScript on its own Jest setup, and it is
  // deployed to swarm; an existing app gets one self-contained file in its own runner instead.
  { template: 'compose.swarm.yaml', when: generated },
  { template: 'test/container/global-setup.ts', when: generated },
  { template: 'test/container/global-teardown.ts', when: generated },
  { template: 'test/container/support/', when: generated },
  // Written where its runner loads it (test-runners.ts), with Vitest's config of its own.
  { template: 'test/container/container.test.mjs', when: existing },
  { template: 'test/container/vitest.config.mjs', when: (m) => m.existing && m.testRunner === 'vitest' },
  { template: 'README.Docker.md', when: existing },
  // One package of a monorepo is built with the monorepo root as its context: BuildKit reads
  // the ignore file named after the Dockerfile, next to it, instead of the root's .dockerignore.
  { template: '_dockerignore', when: (m) => !m.workspace },
  { template: 'Dockerfile.dockerignore', when: (m) => m.workspace !== undefined },
  { template: 'docker/graceful-stop.mjs', when: (m) => m.existing && m.gracefulStop !== undefined },
];

/** Which files of the container layer a container model gets. */
import type { FileRule } from '../lib/files.js';
import type { ContainerModel } from './model.js';

const generated = (m: ContainerModel) => !m.existing;
const existing = (m: ContainerModel) => m.existing;

export const FILE_RULES: readonly FileRule<ContainerModel>[] = [
  // The generated API's container tests are TypeScript on its own Jest setup, and it is
  // deployed to swarm; an existing app gets one self-contained node --test file instead.
  { template: 'compose.swarm.yaml', when: generated },
  { template: 'test/container/global-setup.ts', when: generated },
  { template: 'test/container/global-teardown.ts', when: generated },
  { template: 'test/container/support/', when: generated },
  { template: 'test/container/container.test.mjs', when: existing },
  { template: 'README.Docker.md', when: existing },
  { template: 'docker/graceful-stop.mjs', when: (m) => m.existing && m.gracefulStop !== undefined },
];

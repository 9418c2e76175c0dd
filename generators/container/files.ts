/** Which files of the container layer (templates/container) a container model gets. */
import type { FileRule } from '../lib/files.js';
import type { ContainerModel } from './model.js';

export const FILE_RULES: readonly FileRule<ContainerModel>[] = [
  // One package of a monorepo is built with the monorepo root as its context: BuildKit reads
  // the ignore file named after the Dockerfile, next to it, instead of the root's .dockerignore.
  { template: '_dockerignore', when: (m) => !m.workspace },
  { template: 'Dockerfile.dockerignore', when: (m) => m.workspace !== undefined },
  // Fragments are included by compose.yaml, one per service; never written on their own.
  { template: 'services/', when: () => false },
];

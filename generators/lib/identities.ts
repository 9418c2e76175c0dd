/**
 * The package's generators by name: who each is in .yo-rc.json and in messages. Plain data,
 * so every generator can tell its own projects from another's without importing the other.
 */
import type { GeneratorIdentity } from './generator.js';

/** container-api:app, a new API. */
export const APP: GeneratorIdentity = {
  id: 'app',
  command: 'create-container-api',
  ownsLegacy: (stored) => 'persistence' in stored || 'auth' in stored,
};

/** container-api:docker, the container files for a project someone else wrote. */
export const DOCKER: GeneratorIdentity = {
  id: 'docker',
  command: 'create-container-api --existing',
  ownsLegacy: (stored) => 'start' in stored || 'manager' in stored,
  renamed: { manager: 'package-manager' },
};

export const GENERATORS: readonly GeneratorIdentity[] = [APP, DOCKER];

/** Every generator but `self`. */
export const othersThan = (self: GeneratorIdentity): readonly GeneratorIdentity[] => GENERATORS.filter((g) => g !== self);

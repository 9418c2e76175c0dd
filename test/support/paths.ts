import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, and the compiled entry points the tests exercise (`npm test` builds them first). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GENERATOR_PATH = path.join(REPO_ROOT, 'dist/generators/app/index.js');
export const DOCKER_GENERATOR_PATH = path.join(REPO_ROOT, 'dist/generators/docker/index.js');
export const CLI_PATH = path.join(REPO_ROOT, 'dist/cli/create-container-api.js');

/** Which files of the container layer a container model gets. */
import type { FileRule } from '../lib/files.js';
import type { ContainerModel } from './model.js';

/** Every app gets the whole layer today; a rule here leaves a file out for some apps. */
export const FILE_RULES: readonly FileRule<ContainerModel>[] = [];

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this module that holds templates/. The
 * same code runs from generators/app (sources, in tests) and dist/generators/app (the
 * published package), which sit at different depths.
 */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'templates', 'project'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`templates/project not found above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
export const TEMPLATE_ROOT = path.join(PACKAGE_ROOT, 'templates', 'project');

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this module that holds templates/. The
 * same code runs from generators/lib (sources, in tests) and dist/generators/lib (the
 * published package), which sit at different depths.
 */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'templates'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`templates/ not found above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The folder of one template set under templates/: "project", "docker", … */
export function templateRoot(set: string): string {
  return path.join(PACKAGE_ROOT, 'templates', set);
}

const MANIFEST = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
};

/** This package's version, which every project records as the one that wrote it. */
export const PACKAGE_VERSION: string = MANIFEST.version;

/** The Node.js releases this package runs on: its `engines` range. */
export const NODE_RANGE: string = MANIFEST.engines.node;

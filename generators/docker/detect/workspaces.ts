/** npm, Yarn and pnpm workspaces: the packages a monorepo root declares. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ProjectFiles } from './project-files.js';

export interface WorkspaceFinding {
  /** Where the workspaces are declared. */
  source: string;
  /** Each package folder, relative to the root. */
  packages: string[];
}

export function detectWorkspaces(project: ProjectFiles): WorkspaceFinding | undefined {
  const field = project.pkg.workspaces;
  let patterns = Array.isArray(field) ? field : field?.packages;
  let source = 'package.json "workspaces"';
  const pnpm = project.read('pnpm-workspace.yaml');
  if (!patterns && pnpm) {
    patterns = [...pnpm.matchAll(/^\s*-\s*['"]?([^'"\n]+?)['"]?\s*$/gm)].map((m) => m[1]!);
    source = 'pnpm-workspace.yaml';
  }
  if (!patterns || patterns.length === 0) return undefined;
  const packages: string[] = [];
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    const [base, ...rest] = pattern.split('/*');
    const dirs = rest.length > 0 ? list(project.root, base!).map((d) => `${base}/${d}`) : [pattern];
    packages.push(...dirs.filter((dir) => project.has(`${dir}/package.json`)));
  }
  return { source, packages: packages.sort() };
}

function list(root: string, dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

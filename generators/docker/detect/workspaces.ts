/**
 * npm, Yarn and pnpm workspaces: the packages a monorepo root declares, the monorepo a
 * package belongs to, and what one package needs of the others (internal dependencies).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../lib/questions.js';
import { ProjectFiles } from './project-files.js';
import { detectBuild } from './build.js';

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
  if (!patterns && pnpm !== undefined) {
    // Only the `packages:` list: pnpm 10 keeps other settings (onlyBuiltDependencies…) here too.
    patterns = pnpmPackages(pnpm);
    source = 'pnpm-workspace.yaml';
  }
  if (!patterns || patterns.length === 0) return undefined;
  return { source, packages: packageDirs(project, patterns) };
}

/** pnpm-workspace.yaml's `packages`, in whatever YAML style it is written (block, flow, comments). */
function pnpmPackages(text: string): string[] | undefined {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new UsageError(
      `pnpm-workspace.yaml is no YAML the generator can read (${(error as Error).message.split('\n')[0]}): fix it, then run again. Nothing was written.`,
    );
  }
  const packages = (document as { packages?: unknown } | null)?.packages;
  return Array.isArray(packages) ? packages.filter((p): p is string => typeof p === 'string') : undefined;
}

/**
 * The folders the workspace globs match that hold a package.json, as the package managers
 * expand them (`apps/*`, `{apps,packages}/*`, `packages/**`, `!` to leave one out).
 */
function packageDirs(project: ProjectFiles, patterns: readonly string[]): string[] {
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => `${p.replace(/\/+$/, '')}/package.json`);
  const ignore = ['**/node_modules/**', ...patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/\/+$/, ''))];
  const manifests = globSync(include, { cwd: project.root, ignore, expandDirectories: false });
  return [...new Set(manifests.map((file) => path.posix.dirname(file)))].filter((dir) => dir !== '.').sort();
}

/** The nearest folder above `root` whose package.json (or pnpm-workspace.yaml) declares workspaces. */
export function enclosingWorkspaceRoot(root: string): string | undefined {
  for (let dir = path.dirname(root); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (!existsSync(path.join(dir, 'package.json'))) continue;
    try {
      const workspaces = detectWorkspaces(new ProjectFiles(dir));
      return workspaces?.packages.includes(path.relative(dir, root).split(path.sep).join('/')) ? dir : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A workspace package the chosen one depends on, and how it is built. */
export interface InternalDependency {
  dir: string;
  name: string;
  /** Its build script, when it has one: the image runs it before the chosen package's build. */
  buildScript: string | undefined;
  /** The folder that build writes (tsconfig outDir, the tool's output), relative to the package. */
  outputDir: string;
}

/** The chosen package of a monorepo, and the other workspace packages it needs. */
export interface WorkspacePackage {
  /** The package folder, relative to the monorepo root. */
  dir: string;
  name: string;
  /** Every workspace package, folder and name: the lockfile lists them all. */
  all: { dir: string; name: string }[];
  /** Workspace packages it depends on, directly or not, dependencies first. */
  internal: InternalDependency[];
}

/**
 * The workspace package `wanted` names (its folder, or its package name) among the root's
 * workspaces, or undefined when none matches.
 */
export function workspacePackage(root: string, workspaces: WorkspaceFinding, wanted: string): WorkspacePackage | undefined {
  const all = workspaces.packages.map((dir) => ({ dir, project: new ProjectFiles(path.join(root, dir)) }));
  const byName = new Map(all.map((p) => [p.project.pkg.name ?? p.dir, p]));
  const folder = wanted.replace(/^\.\//, '').replace(/\/$/, '');
  const chosen = all.find((p) => p.dir === folder || p.project.pkg.name === wanted);
  if (!chosen) return undefined;
  const internal: InternalDependency[] = [];
  const seen = new Set<string>([chosen.dir]);
  // Depth first, dependencies before their dependents: the order the builds must run in.
  const visit = (project: ProjectFiles) => {
    for (const name of Object.keys({ ...project.dependencies, ...project.devDependencies })) {
      const dep = byName.get(name);
      if (!dep || seen.has(dep.dir)) continue;
      seen.add(dep.dir);
      visit(dep.project);
      const build = dep.project.scripts.build ? detectBuild(dep.project) : undefined;
      internal.push({ dir: dep.dir, name, buildScript: build?.script, outputDir: build?.outputDir ?? 'dist' });
    }
  };
  visit(chosen.project);
  return {
    dir: chosen.dir,
    name: chosen.project.pkg.name ?? chosen.dir,
    all: all.map((p) => ({ dir: p.dir, name: p.project.pkg.name ?? p.dir })),
    internal,
  };
}

/**
 * The package folders pnpm-lock.yaml has installs for (its `importers`), or undefined without
 * a pnpm lockfile or when it cannot be read. A package that is not among them is one pnpm
 * does not install: `pnpm install --frozen-lockfile` fails on it, in the image as anywhere.
 */
export function pnpmLockImporters(root: string): string[] | undefined {
  const file = path.join(root, 'pnpm-lock.yaml');
  if (!existsSync(file)) return undefined;
  try {
    const lock = parseYaml(readFileSync(file, 'utf8')) as { importers?: Record<string, unknown> } | null;
    return lock?.importers ? Object.keys(lock.importers) : undefined;
  } catch {
    return undefined;
  }
}

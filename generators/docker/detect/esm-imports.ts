/**
 * Relative imports that Node cannot resolve, in the two ways an app's TypeScript reaches it.
 *
 * Built by tsc to ES modules: tsc writes `import … from './router'` as it is, and
 * `moduleResolution: bundler` accepts it, but Node's ESM loader never adds an extension: the
 * built app fails at start with ERR_MODULE_NOT_FOUND.
 *
 * Run by node itself, with no build (type stripping, on every line we build): node loads the
 * file each specifier names and nothing else. `./config.js` is not config.ts there: tsx maps
 * one to the other, and tsc's `rewriteRelativeImportExtensions` does at build, node does not.
 *
 * The project's own start fails the same way, so these are warnings for the user to fix in
 * the code, not something the image can work around.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { ProjectFiles } from './project-files.js';
import { detectWorkspaces } from './workspaces.js';

/** A build that leaves the imports as written: plain tsc, with no bundler or path rewriter after it. */
const PLAIN_TSC = /\btsc\b/;
const REWRITES = /\b(?:tsup|esbuild|webpack|rollup|vite|swc|babel|ncc|tsc-alias|tspc|ttsc|parcel|unbuild|tsdown)\b/;
const RELATIVE_IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
/** `import type …` and `export type …`: erased with the types, so nothing is loaded. */
const TYPE_ONLY = /^\s*(?:import|export)\s+type\s/;
/** A specifier Node resolves as it is: it names a file with its extension. */
const HAS_EXTENSION = /\.(?:[cm]?js|json|node)$/;
const SHOWN = 3;

interface TsconfigModuleOptions {
  extends?: string | string[];
  compilerOptions?: { module?: string };
}

/**
 * tsconfig's `module`, following `extends` by hand: a base config in a workspace package
 * (`"extends": "@repo/tsconfig/node.json"`) is not installed before the first install, so
 * it is read from the monorepo's own folder of that package.
 */
function tsconfigModule(file: string, monorepo: ProjectFiles | undefined, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  let config: TsconfigModuleOptions;
  try {
    config = JSON5.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (config.compilerOptions?.module) return config.compilerOptions.module;
  const bases = typeof config.extends === 'string' ? [config.extends] : (config.extends ?? []);
  // The last base wins in TypeScript's order, so it is asked first.
  for (const base of [...bases].reverse()) {
    const found = resolveBase(base, path.dirname(file), monorepo);
    const module = found && tsconfigModule(found, monorepo, depth + 1);
    if (module) return module;
  }
  return undefined;
}

function resolveBase(base: string, from: string, monorepo: ProjectFiles | undefined): string | undefined {
  const withJson = (file: string) => (file.endsWith('.json') ? file : `${file}.json`);
  if (base.startsWith('.') || path.isAbsolute(base)) return withJson(path.resolve(from, base));
  const parts = base.split('/');
  const name = base.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const rest = parts.slice(base.startsWith('@') ? 2 : 1).join('/') || 'tsconfig.json';
  if (!monorepo) return undefined;
  for (const dir of detectWorkspaces(monorepo)?.packages ?? []) {
    if (monorepo.readJsonc<{ name?: string }>(`${dir}/package.json`)?.name === name) return withJson(path.join(monorepo.root, dir, rest));
  }
  return undefined;
}

/** The relative specifiers the app's TypeScript files load at run time, file by file. */
function* relativeImports(project: ProjectFiles): Generator<{ file: string; specifier: string }> {
  for (const { file, text } of project.sources()) {
    if (!/\.[cm]?ts$/.test(file)) continue;
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      if (!TYPE_ONLY.test(m[0])) yield { file, specifier: (m[1] ?? m[2])! };
    }
  }
}

/**
 * Up to three `file: 'specifier'` pairs, when the app is built by plain tsc to ES modules (its
 * `module` is ES20xx/ESNext/preserve) and imports its own files without an extension.
 */
export function detectExtensionlessImports(project: ProjectFiles, workspaceRoot: string | undefined): string[] {
  const build = Object.values(project.scripts).find((command) => PLAIN_TSC.test(command));
  if (!build || Object.values(project.scripts).some((command) => REWRITES.test(command))) return [];
  const config = ['tsconfig.build.json', 'tsconfig.json'].find((file) => project.has(file));
  if (!config) return [];
  const module = tsconfigModule(path.join(project.root, config), workspaceRoot ? new ProjectFiles(workspaceRoot) : project);
  if (!module || !/^(?:es\d*|esnext|preserve)$/i.test(module)) return [];
  const found: string[] = [];
  for (const { file, specifier } of relativeImports(project)) {
    if (!HAS_EXTENSION.test(specifier)) found.push(`${file}: '${specifier}'`);
    if (found.length === SHOWN) break;
  }
  return found;
}

/** The TypeScript twin of a JavaScript name: config.js → config.ts, .mjs → .mts, .cjs → .cts. */
const TS_TWIN: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

/** A step of a script that compiles: tsc or tsgo that emits, a bundler or rewriter, or a build orchestrator. */
const COMPILES = (step: string) =>
  (/\b(?:tsc|tsgo)\b/.test(step) && !/--noEmit\b/.test(step)) || REWRITES.test(step) || /\b(?:nx|turbo|lerna|nest\s+build)\b/.test(step);

/**
 * Up to three `file: 'specifier'` pairs that name no file, when node runs the TypeScript
 * itself: nothing builds the app (`build`, the build detection's finding, is none) and the
 * start is a .ts file. A start given later with --start is not known here, so with no start
 * found the scripts decide: when none of their steps compiles (`tsgo --noEmit` only checks),
 * node would run the sources as they are. Each pair says what exists instead (`only config.ts`).
 */
export function detectTypeStrippedImports(
  project: ProjectFiles,
  { built, startFile }: { built: boolean; startFile: string | undefined },
): string[] {
  if (built || (startFile !== undefined && !/\.[cm]?ts$/.test(startFile))) return [];
  const steps = Object.values(project.scripts).flatMap((command) => command.split(/&&|\|\||;|\|/));
  if (startFile === undefined && steps.some(COMPILES)) return [];
  const found: string[] = [];
  for (const { file, specifier } of relativeImports(project)) {
    const target = path.posix.join(path.posix.dirname(file), specifier);
    if (isFile(project, target)) continue;
    const ext = path.posix.extname(target);
    const twin = TS_TWIN[ext] ? `${target.slice(0, -ext.length)}${TS_TWIN[ext]}` : undefined;
    const instead = twin && isFile(project, twin) ? twin : [`${target}.ts`, `${target}/index.ts`].find((f) => isFile(project, f));
    if (!instead) continue;
    found.push(`${file}: '${specifier}' (only ${instead})`);
    if (found.length === SHOWN) break;
  }
  return found;
}

function isFile(project: ProjectFiles, file: string): boolean {
  return project.read(file) !== undefined;
}

/**
 * Relative imports that Node cannot resolve once tsc has compiled the app to ES modules.
 * tsc writes `import … from './router'` as it is, and `moduleResolution: bundler` accepts it,
 * but Node's ESM loader never adds an extension: the built app fails at start with
 * ERR_MODULE_NOT_FOUND. The project's own start fails the same way, so this is a warning for
 * the user to fix in the code, not something the image can work around.
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
  for (const { file, text } of project.sources()) {
    if (!/\.[cm]?ts$/.test(file)) continue;
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const specifier = (m[1] ?? m[2])!;
      if (!HAS_EXTENSION.test(specifier)) found.push(`${file}: '${specifier}'`);
      if (found.length === SHOWN) return found;
    }
  }
  return found;
}

/**
 * How an existing app is built: the package.json script that builds it, and the folder that
 * build writes, from the script's own flags, the bundler's config (rollup, webpack, vite) or
 * tsconfig's outDir. The start detection reads it to map a TypeScript entry to its output.
 */
import path from 'node:path';
import { parseTsconfig } from 'get-tsconfig';
import { parse as parseShell } from 'shell-quote';
import type { ProjectFiles } from './project-files.js';

export interface BuildFinding {
  /** The package.json script that builds. */
  script: string;
  /** The folder it writes (from the start file, tsconfig outDir, or the tool's flags). */
  outputDir: string;
}

/**
 * The folder tsconfig compiles to, and the folder its sources are under, as TypeScript reads
 * them (get-tsconfig): `extends` followed, so an outDir from a shared base config counts, and
 * each path taken relative to the config that names it. An `extends` that is not installed
 * yet (`@tsconfig/node22` before the install) leaves the file's own options.
 */
export function tsconfigDirs(project: ProjectFiles): { outDir: string | undefined; rootDir: string | undefined } {
  for (const file of ['tsconfig.build.json', 'tsconfig.prod.json', 'tsconfig.json']) {
    if (!project.has(file)) continue;
    let options: { outDir?: string; rootDir?: string } | undefined;
    try {
      options = parseTsconfig(path.join(project.root, file)).compilerOptions;
    } catch {
      options = project.readJsonc<{ compilerOptions?: { outDir?: string; rootDir?: string } }>(file)?.compilerOptions;
    }
    if (options?.outDir) {
      return { outDir: clean(options.outDir), rootDir: options.rootDir && clean(options.rootDir) };
    }
  }
  return { outDir: undefined, rootDir: undefined };
}

/**
 * The build script and the folder it writes, or undefined when the project has no build
 * script, or its build only checks the code (see onlyChecks).
 */
export function detectBuild(project: ProjectFiles): BuildFinding | undefined {
  const script = ['build:prod', 'build:production', 'build', 'compile'].find(
    (name) => project.scripts[name] && !onlyChecks(project, project.scripts[name]!, new Set([name])),
  );
  if (!script) return undefined;
  const command = project.scripts[script]!;
  const flag = /(?:--outDir|--out-dir|--outdir|--dist-dir|-d)[ =]([^\s]+)/.exec(command)?.[1] ?? /--outfile[ =]([^\s]+)/.exec(command)?.[1];
  const fromFlag = flag && (flag.includes('.') && /--outfile/.test(command) ? path.posix.dirname(clean(flag)) : clean(flag));
  const usesTsup = /\btsup\b/.test(command);
  const outputDir =
    fromFlag || bundlerOutput(project, command) || tsconfigDirs(project).outDir || (usesTsup ? 'dist' : undefined) || 'dist';
  return { script, outputDir: outputDir.split('/')[0]! };
}

/** Programs that read the code and report on it (lint, format check, tests), and write no output. */
const CHECKERS = new Set([
  'eslint',
  'prettier',
  'stylelint',
  'biome',
  'oxlint',
  'xo',
  'standard',
  'jest',
  'vitest',
  'mocha',
  'ava',
  'tap',
  'c8',
  'nyc',
]);

/**
 * Whether a script only checks the code: every step a checker, `tsc --noEmit`, or a script of
 * that kind (`npm run lint`, `yarn test`). Such a "build" (`"build": "npm run lint"` in a plain
 * JavaScript app) writes nothing for the image to copy, so the app has none. A step we do not
 * know may write, and counts as a build. Where the start file is tells nothing: a front end
 * bundled to public/ beside server.js is a build the image needs.
 */
function onlyChecks(project: ProjectFiles, script: string, seen: Set<string>): boolean {
  const steps: string[][] = [[]];
  for (const token of parseShell(script, (name) => `$${name}`)) {
    if (typeof token === 'string') steps.at(-1)!.push(token);
    else if ('op' in token && token.op !== 'glob') steps.push([]);
    else if ('pattern' in token) steps.at(-1)!.push(token.pattern);
  }
  // Each step's program, after its env assignments and a cross-env or npx before it.
  const commands = steps
    .map((words) =>
      words.slice(
        Math.max(
          0,
          words.findIndex((word) => !/^[A-Za-z_]\w*=|^(cross-env|npx)$/.test(word)),
        ),
      ),
    )
    .filter((words) => words.length > 0 && !/^[A-Za-z_]\w*=/.test(words[0]!));
  return (
    commands.length > 0 &&
    commands.every(([program, ...rest]) => {
      if (CHECKERS.has(program!)) return true;
      if (program === 'tsc' || program === 'tsgo' || program === 'vue-tsc') return rest.includes('--noEmit') || rest.includes('-noEmit');
      if (!['npm', 'pnpm', 'yarn'].includes(program!)) return false;
      const name = rest[0] === 'run' || rest[0] === 'run-script' ? rest[1] : rest[0] === 't' ? 'test' : rest[0];
      const next = name && project.scripts[name];
      if (!next || seen.has(name)) return false;
      return onlyChecks(project, next, new Set([...seen, name]));
    })
  );
}

/**
 * Where a bundler the build runs writes, from its config file: rollup's output.dir (or the
 * folder of output.file), webpack's output.path, vite's build.outDir, tsup's outDir. A front end bundled
 * into public/build is as much the build's output as a server compiled to dist.
 */
function bundlerOutput(project: ProjectFiles, command: string): string | undefined {
  const tool = /\b(rollup|webpack|vite|tsup)\b/.exec(command)?.[1];
  if (!tool) return undefined;
  const flag = /(?:-c|--config)[ =]([^\s]+)/.exec(command)?.[1];
  const names = flag && flag !== '-c' && !flag.startsWith('-') ? [clean(flag)] : [];
  for (const ext of ['js', 'mjs', 'cjs', 'ts', 'mts']) names.push(`${tool}.config.${ext}`);
  const text = names.map((name) => project.read(name)).find((found) => found !== undefined);
  const patterns: Record<string, RegExp[]> = {
    rollup: [/\bdir\s*:\s*['"`]([^'"`]+)['"`]/, /\bfile\s*:\s*['"`]([^'"`]+)['"`]/],
    webpack: [/\bpath\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*['"`]([^'"`]+)['"`]/],
    vite: [/\boutDir\s*:\s*['"`]([^'"`]+)['"`]/],
    tsup: [/\boutDir\s*:\s*['"`]([^'"`]+)['"`]/],
  };
  for (const [index, pattern] of (patterns[tool] ?? []).entries()) {
    const found = text && pattern.exec(text)?.[1];
    // rollup's output.file names a file: its folder is what the build writes.
    const dir = found && (tool === 'rollup' && index === 1 ? path.posix.dirname(clean(found)) : clean(found));
    // The project root itself is no output folder: copying it would ship the dev dependencies.
    if (dir && dir !== '.' && !dir.startsWith('..')) return dir;
  }
  // rollup has no default folder; tsup's (dist) is taken below, after tsconfig's outDir.
  return tool === 'rollup' || tool === 'tsup' ? undefined : 'dist';
}

/** A path as a script or config names it, made plain: unquoted, normalized, no ./ or trailing /. */
export function clean(file: string): string {
  return path.posix
    .normalize(file.replace(/^['"]|['"]$/g, ''))
    .replace(/^\.\//, '')
    .replace(/\/$/, '');
}

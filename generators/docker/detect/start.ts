/**
 * How the app is built and started, turned into what a container runs: one exec-form
 * `node <file>`. Scripts are read as the shell would run them, just enough to find the
 * file: env assignments and `cross-env` dropped, `npm run x` followed, TypeScript runners
 * (ts-node, tsx, nodemon on .ts) replaced by the file the build writes, process managers
 * (pm2, forever) replaced by node itself, since the restart policy does their job.
 */
import path from 'node:path';
import type { ProjectFiles } from './project-files.js';

export interface BuildFinding {
  /** The package.json script that builds. */
  script: string;
  /** The folder it writes (from the start file, tsconfig outDir, or the tool's flags). */
  outputDir: string;
}

export interface StartFinding {
  /** The file node runs, relative to the project root. */
  file: string;
  /** Node options the start command passes (e.g. --enable-source-maps). */
  nodeArgs: string[];
  /** Where it came from, for the findings summary. */
  source: string;
  /** What was changed on the way, said plainly (a runner or process manager replaced). */
  note: string | undefined;
}

const START_SCRIPTS = ['start:prod', 'start:production', 'prod', 'serve', 'start'];
const TS_RUNNERS = new Set(['ts-node', 'ts-node-dev', 'tsx', 'nodemon', 'babel-node', 'node-dev']);
const PROCESS_MANAGERS = new Set(['pm2', 'pm2-runtime', 'pm2-docker', 'forever']);
const FALLBACK_FILES = ['server.js', 'index.js', 'app.js', 'src/server.js', 'src/index.js', 'src/app.js', 'bin/www'];

/** The words of the first command in a script that runs a program, env assignments dropped. */
function commandWords(script: string): string[] {
  for (const segment of script.split(/&&|\|\||;|\|/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || words[0] === 'cross-env' || words[0] === 'env'))
      words.shift();
    if (words.length > 0 && !['cd', 'rm', 'echo', 'mkdir', 'cp', 'rimraf'].includes(words[0]!)) return words;
  }
  return [];
}

/** node's own options and the script file among node's (or a runner's) words. */
function splitNodeWords(words: readonly string[]): { nodeArgs: string[]; file: string | undefined } {
  const nodeArgs: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-')) return { nodeArgs, file: word.replace(/^['"]|['"]$/g, '') };
    // Loaders and requires of dev tools (ts-node/register, dotenv/config) are not kept.
    if (['-r', '--require', '--import', '--loader', '--watch', '--exec', '-e', '-w', '--ext', '--env-file'].includes(word)) {
      i++;
      continue;
    }
    if (/^--(enable-source-maps|max-old-space-size=\d+|no-warnings|experimental-[\w-]+)$/.test(word)) nodeArgs.push(word);
  }
  return { nodeArgs, file: undefined };
}

export class StartDetector {
  readonly #project: ProjectFiles;
  readonly build: BuildFinding | undefined;

  constructor(project: ProjectFiles) {
    this.#project = project;
    this.build = this.#detectBuild();
  }

  /** The folder tsconfig compiles to, and the folder its sources are under. */
  #tsconfig(): { outDir: string | undefined; rootDir: string | undefined } {
    for (const file of ['tsconfig.build.json', 'tsconfig.prod.json', 'tsconfig.json']) {
      const config = this.#project.readJsonc<{ compilerOptions?: { outDir?: string; rootDir?: string } }>(file);
      if (config?.compilerOptions?.outDir) {
        return {
          outDir: clean(config.compilerOptions.outDir),
          rootDir: config.compilerOptions.rootDir && clean(config.compilerOptions.rootDir),
        };
      }
    }
    return { outDir: undefined, rootDir: undefined };
  }

  #detectBuild(): BuildFinding | undefined {
    const script = ['build:prod', 'build:production', 'build', 'compile'].find((name) => this.#project.scripts[name]);
    if (!script) return undefined;
    const command = this.#project.scripts[script]!;
    const flag = /(?:--outDir|--out-dir|--outdir|-d)[ =]([^\s]+)/.exec(command)?.[1] ?? /--outfile[ =]([^\s]+)/.exec(command)?.[1];
    const fromFlag = flag && (flag.includes('.') && /--outfile/.test(command) ? path.posix.dirname(clean(flag)) : clean(flag));
    const usesTsup = /\btsup\b/.test(command);
    const outputDir = fromFlag || this.#tsconfig().outDir || (usesTsup ? 'dist' : undefined) || 'dist';
    return { script, outputDir: outputDir.split('/')[0]! };
  }

  /** The start command, or undefined when neither a script, `main` nor a usual file names one. */
  detect(): StartFinding | undefined {
    for (const name of START_SCRIPTS) {
      const script = this.#project.scripts[name];
      if (!script) continue;
      const found = this.#fromScript(script, `script "${name}"`, new Set([name]));
      if (found) return found;
    }
    const main = this.#project.pkg.main;
    if (main) {
      const file = this.#resolveFile(clean(main));
      if (file) return { file, nodeArgs: [], source: `package.json "main"`, note: undefined };
    }
    const fallback = FALLBACK_FILES.find((file) => this.#project.has(file));
    if (fallback) return { file: fallback, nodeArgs: [], source: `the file ${fallback}`, note: undefined };
    return undefined;
  }

  #fromScript(script: string, source: string, seen: Set<string>): StartFinding | undefined {
    const words = commandWords(script);
    const [program, ...rest] = words;
    if (!program) return undefined;
    if ((program === 'npm' || program === 'pnpm' || program === 'yarn') && rest.length > 0) {
      const target = rest[0] === 'run' || rest[0] === 'run-script' ? rest[1] : rest[0];
      const next = target && this.#project.scripts[target];
      if (!target || !next || seen.has(target)) return undefined;
      seen.add(target);
      return this.#fromScript(next, `${source} → "${target}"`, seen);
    }
    if (program === 'node') {
      const { nodeArgs, file } = splitNodeWords(rest);
      const resolved = file && this.#resolveFile(clean(file));
      return resolved ? { file: resolved, nodeArgs, source, note: undefined } : undefined;
    }
    if (TS_RUNNERS.has(program)) {
      const { file } = splitNodeWords(rest.filter((w) => w !== 'watch'));
      const target = file && clean(file);
      if (!target) return undefined;
      if (/\.[cm]?ts$/.test(target) || program !== 'nodemon') {
        const built = this.#builtFileFor(target);
        return {
          file: built,
          nodeArgs: [],
          source,
          note: `${program} is a development tool: the container runs the built ${built} instead`,
        };
      }
      return {
        file: this.#resolveFile(target) ?? target,
        nodeArgs: [],
        source,
        note: 'nodemon restarts on file changes: the container runs node itself',
      };
    }
    if (PROCESS_MANAGERS.has(program)) {
      const { file } = splitNodeWords(rest.filter((w) => !['start', '--no-daemon', 'restart'].includes(w)));
      let target = file && clean(file);
      if (target && /ecosystem\.config\.[cm]?js$|\.json$|\.ya?ml$/.test(target)) {
        target = /script\s*:\s*['"]([^'"]+)['"]/.exec(this.#project.read(target) ?? '')?.[1];
      }
      const resolved = target && this.#resolveFile(clean(target));
      if (!resolved) return undefined;
      return {
        file: resolved,
        nodeArgs: [],
        source,
        note: `${program} is a process manager: the container runs node itself, and the restart policy restarts it`,
      };
    }
    return undefined;
  }

  /** src/server.ts → dist/server.js, by tsconfig's rootDir and outDir (or the build's output). */
  #builtFileFor(source: string): string {
    const { outDir, rootDir } = this.#tsconfig();
    const out = outDir ?? this.build?.outputDir ?? 'dist';
    const from = rootDir ?? (source.startsWith('src/') ? 'src' : '.');
    const relative = path.posix.relative(from, source);
    const inside = relative.startsWith('..') ? source : relative;
    return path.posix.join(out, inside.replace(/\.([cm]?)ts$/, '.$1js'));
  }

  /** A file as node resolves it: as given, with .js, or a folder's index.js. */
  #resolveFile(file: string): string | undefined {
    const candidates = [file, `${file}.js`, `${file}/index.js`, `${file}.mjs`, `${file}.cjs`];
    const built = this.build && file.startsWith(`${this.build.outputDir}/`) ? file : undefined;
    const found = candidates.find((candidate) => this.#project.has(candidate) && !this.#isDir(candidate));
    if (found) return found;
    // Not there before the build runs: the build writes it.
    if (built || (this.build && file === this.build.outputDir)) {
      return /\.[cm]?js$/.test(file) ? file : `${file.replace(/\/$/, '')}/index.js`;
    }
    return undefined;
  }

  #isDir(file: string): boolean {
    return this.#project.has(`${file}/`);
  }
}

function clean(file: string): string {
  return path.posix
    .normalize(file.replace(/^['"]|['"]$/g, ''))
    .replace(/^\.\//, '')
    .replace(/\/$/, '');
}

/**
 * How the app is built and started, turned into what a container runs: one exec-form
 * `node <file>`. Scripts are read as the shell would run them, just enough to find the
 * file: env assignments and `cross-env` dropped, `npm run x` followed, TypeScript runners
 * (ts-node, tsx, nodemon on .ts) replaced by the file the build writes, process managers
 * (pm2, forever) replaced by node itself, since the restart policy does their job. A
 * command-line tool of a runtime dependency (`fastify start app.js`) is run as node running
 * that tool's bin file, since node_modules/.bin is not always a link node can run (pnpm
 * writes shell scripts there).
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
  /** Arguments after the file: those a dependency's command-line tool is given (`start app.js`). */
  args: string[];
  /** Variables the image must set for that tool to serve outside the container. */
  env: Record<string, string>;
  /** The tool closes the server on SIGTERM itself (fastify-cli, through close-with-grace). */
  toolStops: boolean;
  /** Where it came from, for the findings summary. */
  source: string;
  /** What was changed on the way, said plainly (a runner or process manager replaced). */
  note: string | undefined;
}

const START_SCRIPTS = ['start:prod', 'start:production', 'prod', 'serve', 'start'];
const TS_RUNNERS = new Set(['ts-node', 'ts-node-dev', 'tsx', 'nodemon', 'babel-node', 'node-dev']);
const PROCESS_MANAGERS = new Set(['pm2', 'pm2-runtime', 'pm2-docker', 'forever']);
/** Runners of other scripts: what they start is in a config file of theirs, not a command line. */
const SCRIPT_RUNNERS = new Set(['nps', 'npm-run-all', 'run-s', 'run-p', 'concurrently', 'turbo', 'nx', 'lerna', 'gulp', 'grunt']);
/** Wrappers that load variables, then run the command after their options: `dotenv -e .env -- node server.js`. */
const ENV_WRAPPERS = new Set(['dotenv', 'dotenv-cli', 'env-cmd']);
/**
 * What is known of tools that serve an app: the variables that make them listen outside the
 * container (fastify-cli listens on localhost unless told otherwise), and whether they close
 * the server on SIGTERM themselves (fastify-cli does, with close-with-grace).
 */
const TOOLS: Record<string, { env: Record<string, string>; stops: boolean }> = {
  'fastify-cli': { env: { FASTIFY_ADDRESS: '0.0.0.0' }, stops: true },
};
const FALLBACK_FILES = ['server.js', 'index.js', 'app.js', 'src/server.js', 'src/index.js', 'src/app.js', 'bin/www'];

/**
 * The words of each step of a script that runs a program, env assignments dropped, the last
 * step first: in `tsc && node dist/index.js` or `prisma migrate deploy && fastify start app.js`
 * the process that keeps running is the last. Of a pipeline (`node server.js | pino-pretty`)
 * only its first command counts: the rest reads its output.
 */
function commands(script: string): string[][] {
  const found: string[][] = [];
  for (const step of script.split(/&&|\|\||;/).reverse()) {
    const words = step.split('|')[0]!.trim().split(/\s+/).filter(Boolean);
    while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || words[0] === 'cross-env' || words[0] === 'env'))
      words.shift();
    if (words.length > 0 && !['cd', 'rm', 'echo', 'mkdir', 'cp', 'rimraf'].includes(words[0]!)) found.push(words);
  }
  return found;
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
    const flag =
      /(?:--outDir|--out-dir|--outdir|--dist-dir|-d)[ =]([^\s]+)/.exec(command)?.[1] ?? /--outfile[ =]([^\s]+)/.exec(command)?.[1];
    const fromFlag = flag && (flag.includes('.') && /--outfile/.test(command) ? path.posix.dirname(clean(flag)) : clean(flag));
    const usesTsup = /\btsup\b/.test(command);
    const outputDir = fromFlag || this.#bundlerOutput(command) || this.#tsconfig().outDir || (usesTsup ? 'dist' : undefined) || 'dist';
    return { script, outputDir: outputDir.split('/')[0]! };
  }

  /**
   * Where a bundler the build runs writes, from its config file: rollup's output.dir (or the
   * folder of output.file), webpack's output.path, vite's build.outDir. A front end bundled
   * into public/build is as much the build's output as a server compiled to dist.
   */
  #bundlerOutput(command: string): string | undefined {
    const tool = /\b(rollup|webpack|vite)\b/.exec(command)?.[1];
    if (!tool) return undefined;
    const flag = /(?:-c|--config)[ =]([^\s]+)/.exec(command)?.[1];
    const names = flag && flag !== '-c' && !flag.startsWith('-') ? [clean(flag)] : [];
    for (const ext of ['js', 'mjs', 'cjs', 'ts', 'mts']) names.push(`${tool}.config.${ext}`);
    const text = names.map((name) => this.#project.read(name)).find((found) => found !== undefined);
    const patterns: Record<string, RegExp[]> = {
      rollup: [/\bdir\s*:\s*['"`]([^'"`]+)['"`]/, /\bfile\s*:\s*['"`]([^'"`]+)['"`]/],
      webpack: [/\bpath\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*['"`]([^'"`]+)['"`]/],
      vite: [/\boutDir\s*:\s*['"`]([^'"`]+)['"`]/],
    };
    for (const [index, pattern] of (patterns[tool] ?? []).entries()) {
      const found = text && pattern.exec(text)?.[1];
      // rollup's output.file names a file: its folder is what the build writes.
      const dir = found && (tool === 'rollup' && index === 1 ? path.posix.dirname(clean(found)) : clean(found));
      // The project root itself is no output folder: copying it would ship the dev dependencies.
      if (dir && dir !== '.' && !dir.startsWith('..')) return dir;
    }
    return tool === 'rollup' ? undefined : 'dist';
  }

  /** The start command, or undefined when neither a script, `main` nor a usual file names one. */
  detect(): StartFinding | undefined {
    let unread: string | undefined;
    for (const name of START_SCRIPTS) {
      const script = this.#project.scripts[name];
      if (!script) continue;
      const found = this.#fromScript(script, `script "${name}"`, new Set([name]));
      if (found) return found;
      unread ??= `the script "${name}" (${script}) names no file node can run: check this, or pass --start <file>`;
    }
    const main = this.#project.pkg.main;
    if (main) {
      // A TypeScript "main" is what the build compiles: the container runs its output.
      const file = /\.[cm]?ts$/.test(main) && this.build ? this.#builtFileFor(clean(main)) : this.#resolveFile(clean(main));
      if (file) return { ...plain(file), source: `package.json "main"`, note: unread };
    }
    const fallback = FALLBACK_FILES.find((file) => this.#project.has(file));
    if (fallback) return { ...plain(fallback), source: `the file ${fallback}`, note: unread };
    return undefined;
  }

  /** The step of a script that starts the app: in `npm run build && node dist/server.js`, the second. */
  #fromScript(script: string, source: string, seen: Set<string>): StartFinding | undefined {
    for (const words of commands(script)) {
      const found = this.#fromCommand(words, source, seen);
      if (found) return found;
    }
    return undefined;
  }

  #fromCommand(words: readonly string[], source: string, seen: Set<string>): StartFinding | undefined {
    const [program, ...rest] = words;
    if (!program) return undefined;
    if (SCRIPT_RUNNERS.has(program)) return undefined;
    if (ENV_WRAPPERS.has(program)) {
      const dashes = rest.indexOf('--');
      const command =
        dashes >= 0 ? rest.slice(dashes + 1) : rest.filter((word, i) => !word.startsWith('-') && !rest[i - 1]?.startsWith('-'));
      return this.#fromCommand(command, source, seen);
    }
    // `npx fastify start`, `pnpm exec tsx …`: the tool itself, as if the script named it.
    if (program === 'npx' || ((program === 'pnpm' || program === 'npm') && rest[0] === 'exec')) {
      const tool = (program === 'npx' ? rest : rest.slice(1)).filter((word) => !/^(--yes|-y|--no-install|--)$/.test(word));
      return this.#fromCommand(tool, source, seen);
    }
    if ((program === 'npm' || program === 'pnpm' || program === 'yarn') && rest.length > 0) {
      const target = rest[0] === 'run' || rest[0] === 'run-script' ? rest[1] : rest[0];
      const next = target && this.#project.scripts[target];
      // `yarn fastify start`: Yarn runs a dependency's bin when no script has that name.
      if (target && !next && program === 'yarn' && rest[0] !== 'run') return this.#fromCommand(rest, source, seen);
      if (!target || !next || seen.has(target)) return undefined;
      seen.add(target);
      return this.#fromScript(next, `${source} → "${target}"`, seen);
    }
    if (program === 'node') {
      const { nodeArgs, file } = splitNodeWords(rest);
      const resolved = file && this.#resolveFile(clean(file));
      return resolved ? { ...plain(resolved), nodeArgs, source } : undefined;
    }
    if (TS_RUNNERS.has(program)) {
      const { file } = splitNodeWords(rest.filter((w) => w !== 'watch'));
      const target = file && clean(file);
      if (!target) return undefined;
      if (/\.[cm]?ts$/.test(target) || program !== 'nodemon') {
        const built = this.#builtFileFor(target);
        return {
          ...plain(built),
          source,
          note: `${program} is a development tool: the container runs the built ${built} instead`,
        };
      }
      return {
        ...plain(this.#resolveFile(target) ?? target),
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
        ...plain(resolved),
        source,
        note: `${program} is a process manager: the container runs node itself, and the restart policy restarts it`,
      };
    }
    const tool = this.#dependencyBin(program);
    if (tool) {
      return {
        file: tool.file,
        nodeArgs: [],
        args: rest.map((word) => word.replace(/^['"]|['"]$/g, '')),
        env: TOOLS[tool.pkg]?.env ?? {},
        toolStops: TOOLS[tool.pkg]?.stops ?? false,
        source,
        note: `${program} is the command-line tool of the dependency ${tool.pkg}: node runs its bin file, ${tool.file}`,
      };
    }
    return undefined;
  }

  /**
   * The bin file of the runtime dependency that provides `program`, as the installed package
   * says, or package-lock.json records it; failing both, node_modules/.bin/<program>, which
   * npm and Yarn make a link to it (pnpm writes a shell script there instead, which node
   * cannot run, so with pnpm an unknown bin file is no finding).
   */
  #dependencyBin(program: string): { pkg: string; file: string } | undefined {
    const lock = this.#project.readJsonc<{ packages?: Record<string, { bin?: Record<string, string> }> }>('package-lock.json');
    const binOf = (pkg: string) => {
      const manifest = this.#project.readJsonc<{ name?: string; bin?: string | Record<string, string> }>(
        `node_modules/${pkg}/package.json`,
      );
      const bin = typeof manifest?.bin === 'string' ? { [manifest.name?.split('/').pop() ?? pkg]: manifest.bin } : manifest?.bin;
      return bin?.[program] ?? lock?.packages?.[`node_modules/${pkg}`]?.bin?.[program];
    };
    const deps = Object.keys(this.#project.dependencies);
    for (const pkg of deps) {
      const file = binOf(pkg);
      if (file) return { pkg, file: path.posix.join('node_modules', pkg, clean(file)) };
    }
    // Not installed and no npm lockfile: the usual names of a package that provides `program`.
    const pkg = [`${program}-cli`, `@${program}/cli`, program].find((name) => deps.includes(name));
    if (!pkg || this.#project.has('pnpm-lock.yaml')) return undefined;
    return { pkg, file: `node_modules/.bin/${program}` };
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
    // Not there before the build runs: the build writes it. `node dist/main` is dist/main.js
    // when the sources have a main.ts (Nest's start:prod), else the folder's index.js.
    if (built || (this.build && file === this.build.outputDir)) {
      if (/\.[cm]?js$/.test(file)) return file;
      const bare = file.replace(/\/$/, '');
      const source = this.#sourceOf(`${bare}.js`);
      return file !== this.build?.outputDir && ['.ts', '.js'].some((ext) => this.#project.has(source.replace(/\.js$/, ext)))
        ? `${bare}.js`
        : `${bare}/index.js`;
    }
    return undefined;
  }

  /** dist/main.js → src/main.js: where a built file's source is, by tsconfig's rootDir and outDir. */
  #sourceOf(built: string): string {
    const { outDir, rootDir } = this.#tsconfig();
    const out = outDir ?? this.build?.outputDir ?? 'dist';
    const relative = path.posix.relative(out, built);
    return path.posix.join(rootDir ?? (this.#project.has('src/') ? 'src' : '.'), relative);
  }

  #isDir(file: string): boolean {
    return this.#project.has(`${file}/`);
  }
}

/** A start that is node running one file, as it is. */
function plain(file: string): Omit<StartFinding, 'source'> {
  return { file, nodeArgs: [], args: [], env: {}, toolStops: false, note: undefined };
}

function clean(file: string): string {
  return path.posix
    .normalize(file.replace(/^['"]|['"]$/g, ''))
    .replace(/^\.\//, '')
    .replace(/\/$/, '');
}

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
import { type BuildFinding, clean, detectBuild, tsconfigDirs } from './build.js';
import { parse as parseShell } from 'shell-quote';
import type { ProjectFiles } from './project-files.js';

export type { BuildFinding };

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

/** One step of a script: the program's words, and the node options its NODE_OPTIONS assignment gives. */
interface Step {
  words: string[];
  nodeOptions: string[];
}

/** Commands that prepare or report, never the process that keeps running. */
const CHORES = new Set(['cd', 'rm', 'echo', 'mkdir', 'cp', 'rimraf', 'true', 'exit']);
/** Shell operators that end one step and start the next. */
const SEPARATORS = new Set(['&&', '||', ';', ';;', '&', '|&']);

/**
 * The steps of a script that run a program, read as the shell reads them (shell-quote: quotes,
 * escapes, operators), env assignments set aside, the last step first: in `tsc && node
 * dist/index.js` or `prisma migrate deploy && fastify start app.js` the process that keeps
 * running is the last. Of a pipeline (`node server.js | pino-pretty`) only its first command
 * counts: the rest reads its output. A redirection's file (`> log.txt`) is no argument.
 */
function commands(script: string): Step[] {
  const steps: Step[] = [{ words: [], nodeOptions: [] }];
  let piped = false;
  let redirected = false;
  // Variables stay as written ($PORT): the script's environment is the container's, not ours.
  for (const token of parseShell(script, (name) => `$${name}`)) {
    const step = steps.at(-1)!;
    if (typeof token === 'string' || ('op' in token && token.op === 'glob')) {
      const word = typeof token === 'string' ? token : token.pattern;
      if (redirected) redirected = false;
      else if (!piped) step.words.push(word);
      continue;
    }
    if (!('op' in token)) continue; // a comment
    if (SEPARATORS.has(token.op)) {
      steps.push({ words: [], nodeOptions: [] });
      piped = false;
    } else if (token.op === '|') piped = true;
    else if (/[<>]/.test(token.op)) redirected = !token.op.endsWith('&');
  }
  const found: Step[] = [];
  for (const { words } of steps.reverse()) {
    const nodeOptions: string[] = [];
    while (words.length > 0) {
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(words[0]!);
      if (assignment) {
        // NODE_OPTIONS="--max-old-space-size=512 --enable-source-maps": node's own options, for the CMD.
        if (assignment[1] === 'NODE_OPTIONS')
          nodeOptions.push(...parseShell(assignment[2]!).filter((word): word is string => typeof word === 'string'));
      } else if (words[0] !== 'cross-env' && words[0] !== 'env') break;
      words.shift();
    }
    if (words.length > 0 && !CHORES.has(words[0]!)) found.push({ words, nodeOptions });
  }
  return found;
}

/** Of the options below, the ones that change how the app runs in production, and stay in the CMD. */
const KEPT_WITH_VALUE = new Set([
  '--title',
  '-C',
  '--conditions',
  '--input-type',
  '--stack-size',
  '--max-old-space-size',
  '--dns-result-order',
  '--unhandled-rejections',
]);
/**
 * Options that take their value as the next word (`--title "my api"`, `-r dotenv/config`), of
 * node and of the runners read like it (nodemon's `--watch src`).
 */
const VALUE_OPTIONS = new Set([
  '-w',
  '--watch',
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--watch-path',
  '--exec',
  '-e',
  '--eval',
  '-p',
  '--print',
  '--ext',
  '--env-file',
  '--env-file-if-exists',
  ...KEPT_WITH_VALUE,
]);
/** Options kept as they are: they change how the app runs, not how it is developed. */
const KEPT =
  /^--(enable-source-maps|max-old-space-size=\d+|max-semi-space-size=\d+|stack-size=\d+|no-warnings|no-deprecation|title=.+|conditions=.+|input-type=.+|dns-result-order=.+|unhandled-rejections=.+|experimental-[\w-]+(=.+)?)$/;

/**
 * node's own options and the script file among node's (or a runner's) words. Loaders and
 * requires of dev tools (ts-node/register, dotenv/config), watch mode and env files are left
 * out: the image runs the built code, and its environment comes from compose.
 */
function splitNodeWords(words: readonly string[]): { nodeArgs: string[]; file: string | undefined } {
  const nodeArgs: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') return { nodeArgs, file: words[i + 1] };
    if (!word.startsWith('-')) return { nodeArgs, file: word };
    if (VALUE_OPTIONS.has(word)) {
      const value = words[i + 1];
      if (value !== undefined && (KEPT_WITH_VALUE.has(word) || (PRELOADS.has(word) && isOwnPreload(value)))) nodeArgs.push(word, value);
      i++;
      continue;
    }
    const preload = /^(--import|--require)=(.+)$/.exec(word);
    if (preload) {
      if (isOwnPreload(preload[2]!)) nodeArgs.push(word);
      continue;
    }
    if (KEPT.test(word) || /^-C.+/.test(word)) nodeArgs.push(word);
  }
  return { nodeArgs, file: undefined };
}

const PRELOADS = new Set(['-r', '--require', '--import']);

/**
 * A preload that is the app's own JavaScript file (`--import ./dist/instrument.js`: tracing,
 * error reporting), which production needs, unlike a dev tool's package (`-r ts-node/register`,
 * `--import tsx`, `-r dotenv/config`: compose gives the environment) or a TypeScript source.
 */
function isOwnPreload(value: string): boolean {
  return /^\.\.?\//.test(value) && !/\.[cm]?tsx?$/.test(value);
}

/** NODE_OPTIONS' words that belong in the CMD, by the same rules as node's own options. */
function keptOptions(words: readonly string[]): string[] {
  return splitNodeWords([...words, 'file']).nodeArgs;
}

/** What a script's command is, with the words after the program. */
interface Command {
  program: string;
  rest: readonly string[];
  source: string;
  seen: Set<string>;
}

/** One kind of program a start script may run, and what the container runs in its place. */
interface ProgramRule {
  when: (command: Command) => boolean;
  start: (detector: StartDetector, command: Command) => StartFinding | undefined;
}

const MANAGERS = new Set(['npm', 'pnpm', 'yarn']);

export class StartDetector {
  /** The programs a start script may run, in the order they are tried. */
  static readonly #PROGRAMS: readonly ProgramRule[] = [
    { when: ({ program }) => SCRIPT_RUNNERS.has(program), start: () => undefined },
    { when: ({ program }) => ENV_WRAPPERS.has(program), start: (d, c) => d.#wrapped(c) },
    {
      when: ({ program, rest }) => program === 'npx' || ((program === 'pnpm' || program === 'npm') && rest[0] === 'exec'),
      start: (d, c) => d.#executed(c),
    },
    { when: ({ program, rest }) => MANAGERS.has(program) && rest.length > 0, start: (d, c) => d.#scriptRun(c) },
    { when: ({ program }) => program === 'node', start: (d, c) => d.#nodeRun(c) },
    { when: ({ program }) => TS_RUNNERS.has(program), start: (d, c) => d.#devRunner(c) },
    { when: ({ program }) => PROCESS_MANAGERS.has(program), start: (d, c) => d.#processManager(c) },
    { when: () => true, start: (d, c) => d.#dependencyTool(c) },
  ];

  readonly #project: ProjectFiles;
  /** What the build writes: a TypeScript start file is replaced by its output there. */
  readonly #build: BuildFinding | undefined;

  constructor(project: ProjectFiles, build: BuildFinding | undefined = detectBuild(project)) {
    this.#project = project;
    this.#build = build;
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
      const file = /\.[cm]?ts$/.test(main) && this.#build ? this.#builtFileFor(clean(main)) : this.#resolveFile(clean(main));
      if (file) return { ...plain(file), source: `package.json "main"`, note: unread };
    }
    const fallback = FALLBACK_FILES.find((file) => this.#project.has(file));
    if (fallback) return { ...plain(fallback), source: `the file ${fallback}`, note: unread };
    return undefined;
  }

  /** The step of a script that starts the app: in `npm run build && node dist/server.js`, the second. */
  #fromScript(script: string, source: string, seen: Set<string>): StartFinding | undefined {
    for (const { words, nodeOptions } of commands(script)) {
      const found = this.#fromCommand(words, source, seen);
      if (found) {
        const kept = keptOptions(nodeOptions);
        return kept.length > 0 ? { ...found, nodeArgs: [...kept, ...found.nodeArgs] } : found;
      }
    }
    return undefined;
  }

  #fromCommand(words: readonly string[], source: string, seen: Set<string>): StartFinding | undefined {
    const [program, ...rest] = words;
    if (!program) return undefined;
    const command = { program, rest, source, seen };
    // The first rule that knows the program decides; a program none knows starts nothing we can run.
    return StartDetector.#PROGRAMS.find((rule) => rule.when(command))?.start(this, command);
  }

  /** `dotenv -e .env -- node server.js`: the command after the wrapper's options. */
  #wrapped({ rest, source, seen }: Command): StartFinding | undefined {
    const dashes = rest.indexOf('--');
    const command = dashes >= 0 ? rest.slice(dashes + 1) : rest.filter((word, i) => !word.startsWith('-') && !rest[i - 1]?.startsWith('-'));
    return this.#fromCommand(command, source, seen);
  }

  /** `npx fastify start`, `pnpm exec tsx …`: the tool itself, as if the script named it. */
  #executed({ program, rest, source, seen }: Command): StartFinding | undefined {
    const tool = (program === 'npx' ? rest : rest.slice(1)).filter((word) => !/^(--yes|-y|--no-install|--)$/.test(word));
    return this.#fromCommand(tool, source, seen);
  }

  /** `npm run serve`, `yarn start:prod`: the script it runs, followed once. */
  #scriptRun({ program, rest, source, seen }: Command): StartFinding | undefined {
    const target = rest[0] === 'run' || rest[0] === 'run-script' ? rest[1] : rest[0];
    const next = target && this.#project.scripts[target];
    // `yarn fastify start`: Yarn runs a dependency's bin when no script has that name.
    if (target && !next && program === 'yarn' && rest[0] !== 'run') return this.#fromCommand(rest, source, seen);
    if (!target || !next || seen.has(target)) return undefined;
    seen.add(target);
    return this.#fromScript(next, `${source} → "${target}"`, seen);
  }

  /** `node [options] file`: as it is, with the options worth keeping. */
  #nodeRun({ rest, source }: Command): StartFinding | undefined {
    const { nodeArgs, file } = splitNodeWords(rest);
    const resolved = file && this.#resolveFile(clean(file));
    return resolved ? { ...plain(resolved), nodeArgs, source } : undefined;
  }

  /** ts-node, tsx, nodemon…: development tools, replaced by node on what the build writes. */
  #devRunner({ program, rest, source }: Command): StartFinding | undefined {
    const { file } = splitNodeWords(rest.filter((w) => w !== 'watch'));
    const target = file && clean(file);
    if (!target) return undefined;
    if (/\.[cm]?ts$/.test(target) && !this.#build) {
      // Nothing builds it: node runs the TypeScript itself (type stripping, on every line we build).
      return {
        ...plain(this.#resolveFile(target) ?? target),
        source,
        note: `${program} is a development tool and no build script compiles ${target}: node runs it as TypeScript itself`,
      };
    }
    if (/\.[cm]?ts$/.test(target) || program !== 'nodemon') {
      const built = this.#builtFileFor(target);
      return { ...plain(built), source, note: `${program} is a development tool: the container runs the built ${built} instead` };
    }
    return {
      ...plain(this.#resolveFile(target) ?? target),
      source,
      note: 'nodemon restarts on file changes: the container runs node itself',
    };
  }

  /** pm2, forever: replaced by node itself, since the restart policy does their job. */
  #processManager({ program, rest, source }: Command): StartFinding | undefined {
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

  /** `fastify start app.js`: a runtime dependency's command-line tool, run as node on its bin file. */
  #dependencyTool({ program, rest, source }: Command): StartFinding | undefined {
    const tool = this.#dependencyBin(program);
    if (!tool) return undefined;
    return {
      file: tool.file,
      nodeArgs: [],
      args: [...rest],
      env: TOOLS[tool.pkg]?.env ?? {},
      toolStops: TOOLS[tool.pkg]?.stops ?? false,
      source,
      note: `${program} is the command-line tool of the dependency ${tool.pkg}: node runs its bin file, ${tool.file}`,
    };
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
    const { outDir, rootDir } = tsconfigDirs(this.#project);
    const out = outDir ?? this.#build?.outputDir ?? 'dist';
    const from = rootDir ?? (source.startsWith('src/') ? 'src' : '.');
    const relative = path.posix.relative(from, source);
    const inside = relative.startsWith('..') ? source : relative;
    return path.posix.join(out, inside.replace(/\.([cm]?)ts$/, '.$1js'));
  }

  /** A file as node resolves it: as given, with .js, or a folder's index.js. */
  #resolveFile(file: string): string | undefined {
    const candidates = [file, `${file}.js`, `${file}/index.js`, `${file}.mjs`, `${file}.cjs`];
    const built = this.#build && file.startsWith(`${this.#build.outputDir}/`) ? file : undefined;
    const found = candidates.find((candidate) => this.#project.has(candidate) && !this.#isDir(candidate));
    if (found) return found;
    // Not there before the build runs: the build writes it. `node dist/main` is dist/main.js
    // when the sources have a main.ts (Nest's start:prod), else the folder's index.js.
    if (built || (this.#build && file === this.#build.outputDir)) {
      if (/\.[cm]?js$/.test(file)) return file;
      const bare = file.replace(/\/$/, '');
      const sources = this.#sourcesOf(`${bare}.js`);
      const hasSource = sources.some((source) => ['.ts', '.js'].some((ext) => this.#project.has(source.replace(/\.js$/, ext))));
      return file !== this.#build?.outputDir && hasSource ? `${bare}.js` : `${bare}/index.js`;
    }
    return undefined;
  }

  /**
   * dist/main.js → src/main.js: where a built file's source may be, by tsconfig's rootDir and
   * outDir. With no rootDir, tsc takes the folder all compiled files share: src/ when they are
   * all in it, the project root when a file beside package.json is compiled too (an ormconfig.ts),
   * and then src/main.ts is built to dist/src/main.js.
   */
  #sourcesOf(built: string): string[] {
    const { outDir, rootDir } = tsconfigDirs(this.#project);
    const out = outDir ?? this.#build?.outputDir ?? 'dist';
    const relative = path.posix.relative(out, built);
    return rootDir ? [path.posix.join(rootDir, relative)] : [path.posix.join('src', relative), relative];
  }

  #isDir(file: string): boolean {
    return this.#project.has(`${file}/`);
  }
}

/** A start that is node running one file, as it is. */
function plain(file: string): Omit<StartFinding, 'source'> {
  return { file, nodeArgs: [], args: [], env: {}, toolStops: false, note: undefined };
}

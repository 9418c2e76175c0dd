/**
 * What every generator of this package does the same way: its flags come from a question
 * table; the target directory is checked before anything is asked, written or printed;
 * answers stored in .yo-rc.json are parsed like flags, each generator's under its own name;
 * a re-run lists the files it would change and writes nothing unless --force (or a terminal,
 * where the user decides per file).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isFilePending } from 'mem-fs-editor/state';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { localInstallFor, type PackageManagerName } from '../container/package-managers.js';
import { files, note, resultsToStdout, say } from './output.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from './paths.js';
import { step } from './progress.js';
import { prepareWrite } from './write-guard.js';
import {
  type DefaultContext,
  describeDefault,
  NEW_PROJECT_RUN_FLAGS,
  parseAnswers,
  type QuestionOf,
  RUN_FLAGS,
  UsageError,
} from './questions.js';

export { RUN_FLAGS };

/** The .yo-rc.json key this package's sections live under, whichever bin runs it. */
export const GENERATOR_KEY = 'generator-container-api';

/**
 * Who a generator is, as .yo-rc.json and its messages name it. Each keeps its answers in a
 * section of its own (`":app"`, `":docker"`, like yeoman's per-generator storage) with the
 * version that wrote them, so a project says which generator made it.
 */
export interface GeneratorIdentity {
  /** The generator part of its namespace (`container-api:app` → `app`): its section is `:app`. */
  id: string;
  /** How a user runs it, for messages: `create-container-api`, `create-container-api --existing`. */
  command: string;
  /**
   * Releases before 0.2 kept every generator's answers flat under GENERATOR_KEY: whether such
   * answers are this generator's (by a key only its questions have).
   */
  ownsLegacy: (stored: Readonly<Record<string, unknown>>) => boolean;
  /** Question keys renamed since then: old name → new name. */
  renamed?: Readonly<Record<string, string>>;
}

/** One generator's section of .yo-rc.json. */
interface Section {
  version: string;
  answers: Record<string, unknown>;
}

/** Who wrote a target's .yo-rc.json: this generator, another of ours, or none we know. */
type Author = { kind: 'self'; answers: Record<string, unknown> } | { kind: 'other'; id: string } | { kind: 'none' };

/** Entries a directory may hold and still count as empty. */
const IGNORABLE_ENTRIES = new Set(['.git', '.DS_Store']);

/** Files the generator owns outright: never reported as the user's changes. */
const OWN_STATE = new Set(['.yo-rc.json']);

export type RunOptions = BaseOptions & {
  directory?: string;
  yes?: boolean;
  force?: boolean;
  skipInstall?: boolean;
  /** List what would be written, write nothing (the environment's conflicter runs dry). */
  dryRun?: boolean;
  /** Whether questions may be asked; defaults to whether stdin is a terminal. */
  interactive?: boolean;
  /** List every file written (the bin's output module reads it too). */
  verbose?: boolean;
  /** No git init and first commit for a new project. */
  skipGit?: boolean;
  /** Run the upgrade (cli/upgrade) instead of generating. */
  upgrade?: boolean;
};

/** Where an answer came from, for the summary of the answers taken. */
type AnswerSource = 'flag' | 'stored' | 'default' | 'asked';

/** A generator whose answers are declared by a question table. */
export abstract class QuestionGenerator<A extends object, O extends RunOptions = RunOptions> extends Generator<A, O> {
  protected answers = {} as A;
  /**
   * What the target must be: a new project's folder (empty, or one this package made), or an
   * existing project's (with its package.json). A field, not an overridable method: Yeoman
   * would queue a subclass's own method as a task.
   */
  protected target: 'new' | 'existing' = 'new';
  readonly #questions: readonly QuestionOf<A>[];
  readonly #identity: GeneratorIdentity;
  /** The package's other generators, for telling whose a project is. */
  readonly #others: readonly GeneratorIdentity[];
  readonly #sources = new Map<keyof A, AnswerSource>();

  /**
   * `ownInstall`: the generator installs the project's dependencies itself (installDependencies,
   * with progress and its output kept unless it fails) instead of yeoman-environment, which
   * prints "Changes to package.json were detected." and hands the terminal to the manager.
   */
  constructor(
    args: string[],
    options: O,
    questions: readonly QuestionOf<A>[],
    identity: GeneratorIdentity,
    others: readonly GeneratorIdentity[],
    { ownInstall = false }: { ownInstall?: boolean } = {},
  ) {
    // customInstallTask: true is the environment's switch for "a generator installs": it then
    // runs no install and says nothing about one.
    super(args, options, ownInstall ? { customInstallTask: true } : {});
    this.#questions = questions;
    this.#identity = identity;
    this.#others = others;
    // Published as generator-container-api and as create-container-api: the answers live
    // under one key in .yo-rc.json, whichever name ran the generator.
    this.rootGeneratorName = () => GENERATOR_KEY;
    this.argument('directory', {
      type: String,
      required: false,
      description: 'Directory to write the project to (default: the current directory)',
    });
    for (const question of questions) {
      const allowed = question.kind === 'choice' ? ` (${question.choices.join('|')})` : '';
      this.option(String(question.key), {
        type: question.kind === 'toggle' ? Boolean : String,
        description: `${question.message}${allowed}, default: ${describeDefault(question)}`,
      });
    }
    this.option('yes', { type: Boolean, alias: 'y', description: RUN_FLAGS.yes });
    this.option('force', { type: Boolean, description: RUN_FLAGS.force });
    this.option('dry-run', { type: Boolean, description: RUN_FLAGS['dry-run'] });
    this.option('verbose', { type: Boolean, description: RUN_FLAGS.verbose });
    if (identity.id === 'app') this.option('skip-git', { type: Boolean, description: NEW_PROJECT_RUN_FLAGS['skip-git'] });
    this.option('upgrade', {
      type: Boolean,
      description: "Merge this version's templates into a project we wrote, keeping its changes (with --dry-run: the plan only)",
    });
    this.option('interactive', { type: Boolean, hide: true, description: 'Allow prompts' });

    if (this.options.directory) {
      this.destinationRoot(path.resolve(this.options.directory));
      // The environment installs dependencies where package.json lands: its cwd.
      this.env.cwd = this.destinationRoot();
    }
    // npm until an answer says otherwise. Only when unset: a composed generator is constructed
    // after its parent has already chosen (container-api:app's --package-manager).
    const envOptions = (this.env as unknown as { options: { nodePackageManager?: string } }).options;
    envOptions.nodePackageManager ??= 'npm';
  }

  /**
   * The package manager the environment installs the project with, once its files are
   * written. Saying so also spares yeoman-environment its lockfile search, which finds
   * nothing in a new directory and prints "Error detecting the package manager".
   */
  protected installWith(manager: PackageManagerName): void {
    const envOptions = (this.env as unknown as { options: { nodePackageManager?: string } }).options;
    envOptions.nodePackageManager = manager;
    for (const [name, value] of Object.entries(localInstallFor(manager).env)) process.env[name] ??= value;
  }

  /**
   * `yo container-api --upgrade` (and `:docker`): the bin's --upgrade does it, the one
   * implementation (cli/upgrade), run from this package's own dist/; this run's other tasks
   * are cancelled. True when it ran.
   */
  protected upgradeInstead(): boolean {
    if (!this.options.upgrade) return false;
    const bin = path.join(PACKAGE_ROOT, 'dist', 'cli', 'create-container-api.js');
    const flags = [...(this.options.dryRun ? ['--dry-run'] : []), ...(this.options.force ? ['--force'] : [])];
    const run = spawnSync(process.execPath, [bin, '--upgrade', this.destinationRoot(), ...flags], { stdio: 'inherit' });
    this.cancelCancellableTasks();
    if (run.status !== 0) throw new Error(`the upgrade ended with exit code ${run.status ?? run.signal}: see above`);
    return true;
  }

  /** A dry run ends by saying nothing was written, instead of giving the next steps. */
  protected endDryRun(): boolean {
    if (!this.options.dryRun) return false;
    this.say('Dry run: nothing was written. Run the same command without --dry-run to write these files.');
    return true;
  }

  /**
   * A result line (an answer, the files, a next step): stdout when the bin runs (output.ts);
   * under `yo` and yeoman-test, yeoman's log, as every generator's.
   */
  protected say(line = ''): void {
    if (resultsToStdout()) say(line);
    else this.log(line);
  }

  /** The target as the user would type it from where they are: `my-api`, `.`, or an absolute path. */
  protected whereFromHere(): string {
    const relative = path.relative(process.cwd(), this.destinationRoot()) || '.';
    return relative.startsWith('..') ? this.destinationRoot() : relative;
  }

  /**
   * The files the run wrote, in one line (every file under --verbose or a dry run): printed
   * once the environment has written them, in the install step. Under `yo`, which prints its
   * own line per file, nothing.
   */
  protected reportFiles(): void {
    for (const line of files.summary(this.whereFromHere(), Boolean(this.options.dryRun))) this.say(line);
  }

  /**
   * Installs the project's dependencies with `manager` (a generator constructed with
   * `ownInstall`), saying so as it goes (progress.ts). The manager's output is kept back but
   * for its warnings, and shown on stderr if it fails; then the run fails with what to run,
   * the files kept.
   */
  protected async installDependencies(manager: PackageManagerName): Promise<void> {
    const { args, env } = localInstallFor(manager);
    const command = `${manager} ${args.join(' ')}`;
    let failure: { all?: unknown; exitCode?: number | undefined; shortMessage?: string } | undefined;
    let warnings: string[] = [];
    try {
      await step(
        async () => {
          const result = await this.spawn(manager, args, { env, all: true, reject: false, stdin: 'ignore', cwd: this.destinationRoot() });
          if (result.exitCode === 0 && !result.failed) {
            warnings = String(result.all ?? '')
              .split('\n')
              .filter((line) => /\bwarn(ing)?\b/i.test(line));
            return;
          }
          failure = result;
          throw new Error(`${command} failed`);
        },
        { doing: `Installing dependencies (${command})`, done: `Installed dependencies with ${manager}` },
      );
      // What the manager warns of is the user's to know (a deprecated package, an unreviewed script).
      for (const line of warnings) note(line);
    } catch (error) {
      if (!failure) throw error;
      const output = String(failure.all ?? '').trimEnd();
      if (output) note(output.split('\n').slice(-40).join('\n'));
      const why = failure.exitCode === undefined ? (failure.shortMessage ?? 'it did not start') : `exit code ${failure.exitCode}`;
      throw new Error(
        `${command} failed in ${this.whereFromHere()} (${why}; its output is above). The project's files are written: fix the cause, then run ${manager} install there.`,
      );
    }
  }

  protected interactive(): boolean {
    return this.options.interactive ?? Boolean(process.stdin.isTTY);
  }

  /**
   * Checks the target, then gathers the answers given so far: stored ones, overridden by
   * flags, every one through its question's parser.
   */
  protected readAnswers(): void {
    this.checkTarget();
    const given = this.options as Partial<Record<keyof A, unknown>>;
    const stored = this.storedAnswers();
    const flags = parseAnswers(this.#questions, given);
    for (const key of Object.keys(stored) as (keyof A)[]) this.#sources.set(key, 'stored');
    for (const key of Object.keys(flags) as (keyof A)[]) this.#sources.set(key, 'flag');
    this.answers = { ...stored, ...flags } as A;
  }

  /**
   * The answers taken, one line each with where each came from: a screen to check before
   * the files are written, and the record of what --yes chose.
   */
  protected answersTaken(describe: (key: keyof A, value: unknown) => string | undefined = () => undefined): string[] {
    const answers = this.answers as Record<keyof A, unknown>;
    const width = Math.max(...this.#questions.map((q) => String(q.key).length));
    const lines = this.#questions.map((q) => {
      const value = answers[q.key];
      const shown = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
      const source = this.#sources.get(q.key) ?? 'default';
      const extra = describe(q.key, value);
      return `  ${String(q.key).padEnd(width)}  ${shown}${extra ? ` ${extra}` : ''}${SOURCE_NOTE[source]}`;
    });
    const defaults = [...this.#sources.values()].filter((s) => s === 'default').length;
    const heading = defaults > 0 && this.options.yes ? 'Answers (--yes took the defaults; a flag changes any):' : 'Answers:';
    return [heading, ...lines];
  }

  /**
   * The target must be a directory this user can write to (or one that can be made), and
   * empty unless --force or it holds a project this package made. Checked before anything
   * is asked or written, so a wrong path costs nothing.
   */
  protected checkTarget(): void {
    const root = this.destinationRoot();
    // The nearest part of the path that exists: the target itself, or where it would be made.
    let existing = root;
    while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    if (!statSync(existing).isDirectory()) {
      throw new UsageError(`${existing} is a file, not a directory: choose a directory to write the project to.`);
    }
    try {
      accessSync(existing, constants.W_OK | constants.X_OK);
    } catch {
      throw new UsageError(`${existing} is not writable by you: choose a directory you can write to, or change its permissions.`);
    }
    const manifest = path.join(root, 'package.json');
    const author = this.#author();
    if (author.kind === 'other') {
      const other = this.#others.find((g) => g.id === author.id);
      throw new UsageError(
        `${root} was set up by ${other?.command ?? `container-api:${author.id}`} (see .yo-rc.json), whose files this generator must not replace. Nothing was written, with or without --force.${other ? ` To update it, run ${other.command} ${root} again.` : ''}`,
      );
    }
    if (this.target === 'existing') {
      if (existsSync(manifest)) return;
      throw new UsageError(
        `${root} has no package.json: run this in the folder of the Node.js project to containerize, or create a new API with create-container-api.`,
      );
    }
    if (existing === root && existsSync(manifest) && author.kind !== 'self') {
      // Someone else's project: --force replaces only files this package wrote, never these.
      throw new UsageError(
        `${root} holds a Node.js project this generator did not write (${foreignProject(manifest)}). Nothing was written, with or without --force. To containerize it, run create-container-api --existing ${root}, or yo container-api:docker in it.`,
      );
    }
    if (existing !== root || this.options.force || author.kind === 'self') return;
    const entries = readdirSync(root).filter((entry) => !IGNORABLE_ENTRIES.has(entry));
    if (entries.length > 0) {
      throw new UsageError(
        `${root} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}). Choose an empty or new directory, or pass --force to write into it.`,
      );
    }
  }

  /**
   * The package's part of .yo-rc.json, if the target has one. The file is checked first: one
   * that is not a JSON object, or whose sections are not objects, is the user's to fix (exit 2,
   * one line naming it), not something to overwrite.
   */
  #stored(): Record<string, unknown> | undefined {
    const file = path.join(this.destinationRoot(), '.yo-rc.json');
    if (!existsSync(file)) return undefined;
    const isObject = (value: unknown): value is Record<string, unknown> =>
      value !== null && typeof value === 'object' && !Array.isArray(value);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `${file} is not valid JSON (${(error as Error).message}): fix or delete it, then run again. Nothing was written.`,
      );
    }
    const ours = isObject(parsed) ? parsed[GENERATOR_KEY] : undefined;
    if (!isObject(parsed) || (ours !== undefined && !isObject(ours))) {
      throw new UsageError(
        `${file} is not a yeoman config (a JSON object whose "${GENERATOR_KEY}" is an object): fix or delete it. Nothing was written.`,
      );
    }
    for (const [key, section] of Object.entries(ours ?? {})) {
      if (key.startsWith(':') && !(isObject(section) && isObject(section.answers))) {
        throw new UsageError(
          `${file} "${GENERATOR_KEY}"."${key}" is not a section ({ "version", "answers" }): fix or delete it. Nothing was written.`,
        );
      }
    }
    return ours && Object.keys(ours).length > 0 ? ours : undefined;
  }

  /** Which generator of ours, if any, wrote the target's .yo-rc.json. */
  #author(): Author {
    const stored = this.#stored();
    if (!stored) return { kind: 'none' };
    const own = stored[`:${this.#identity.id}`] as Section | undefined;
    if (own?.answers) return { kind: 'self', answers: own.answers };
    const other = this.#others.find((g) => (stored[`:${g.id}`] as Section | undefined)?.answers);
    if (other) return { kind: 'other', id: other.id };
    const legacy = legacyAnswers(stored);
    if (!legacy) return { kind: 'none' };
    if (this.#identity.ownsLegacy(legacy)) return { kind: 'self', answers: this.#renamed(legacy) };
    const owner = this.#others.find((g) => g.ownsLegacy(legacy));
    return owner ? { kind: 'other', id: owner.id } : { kind: 'none' };
  }

  #renamed(answers: Record<string, unknown>): Record<string, unknown> {
    const renamed = this.#identity.renamed ?? {};
    return Object.fromEntries(Object.entries(answers).map(([key, value]) => [renamed[key] ?? key, value]));
  }

  /** Answers an earlier run stored, checked like flags: a bad one names the file and key. */
  protected storedAnswers(): Partial<A> {
    const author = this.#author();
    const stored = author.kind === 'self' ? author.answers : {};
    const file = path.join(this.destinationRoot(), '.yo-rc.json');
    // A key no question has: from a hand edit, or a newer release. Said, then left alone.
    const known = new Set(this.#questions.map((q) => String(q.key)));
    for (const key of Object.keys(stored).filter((k) => !known.has(k))) {
      this.log.info(`${file} "${key}" is no question of ${this.#identity.command}: ignored.`);
    }
    return parseAnswers(this.#questions, stored as Partial<Record<keyof A, unknown>>, (key) => `${file} "${String(key)}":`);
  }

  /**
   * Stores the answers in this generator's own section, with the version that wrote them; an
   * older release's flat answers, once read, are dropped: the section replaces them.
   */
  protected saveAnswers(): void {
    // The package's part of .yo-rc.json holds sections, not the answers type A.
    const config = this.config as unknown as { delete(key: string): void; set(value: Record<string, unknown>): void };
    const stored = this.#stored();
    const legacy = stored && legacyAnswers(stored);
    if (legacy && this.#identity.ownsLegacy(legacy)) for (const key of Object.keys(legacy)) config.delete(key);
    const section: Section = { version: PACKAGE_VERSION, answers: { ...(this.answers as Record<string, unknown>) } };
    config.set({ [`:${this.#identity.id}`]: section });
  }

  /** What the questions' defaults are read from: the target directory, unless a generator says otherwise. */
  protected defaultContext(): DefaultContext {
    return { destination: this.destinationRoot() };
  }

  /** Takes defaults (--yes), asks in a terminal, or names the flag a question needs. */
  protected async askRemaining(): Promise<void> {
    const context = this.defaultContext();
    const answers = this.answers as Record<keyof A, unknown>;
    const pending = this.#questions.filter((q) => answers[q.key] === undefined);
    for (const question of pending) {
      if (this.options.yes) {
        answers[question.key] = question.default({ ...context, answers });
        this.#sources.set(question.key, 'default');
      } else if (!this.interactive()) {
        throw new UsageError(
          `No terminal to ask "${question.message}": pass --${String(question.key)}${question.valueHint ? ` ${question.valueHint}` : ''}, or --yes to take the defaults.`,
        );
      }
    }
    const toAsk = pending.filter((q) => answers[q.key] === undefined);
    if (toAsk.length === 0) return;
    const replies = await this.prompt(toAsk.map((q) => promptFor(q, context, answers)));
    for (const question of toAsk) {
      answers[question.key] = question.parse(replies[String(question.key)]);
      this.#sources.set(question.key, 'asked');
    }
  }

  /**
   * Run in the `conflicts` step, after every composed generator has queued its files and
   * before the environment writes any: without a terminal, files that differ from what is
   * on disk stop the run, all named at once. With --force the environment's conflicter
   * overwrites them (it reads `force` from the root generator's options). `additions` are
   * files the generator only adds to (a script in package.json), which it marks to be written.
   */
  protected refuseConflicts(additions: ReadonlySet<string> = new Set()): void {
    this.#refuseEscapes();
    this.#prepareWrite();
    if (this.options.force || this.interactive()) return;
    const root = this.destinationRoot();
    const conflicts: string[] = [];
    this.fs.store.each((file) => {
      const relative = path.relative(root, file.path);
      if (!isFilePending(file) || OWN_STATE.has(relative) || additions.has(relative) || !existsSync(file.path) || !file.contents) return;
      if (!readFileSync(file.path).equals(file.contents)) conflicts.push(relative);
    });
    if (conflicts.length > 0) {
      throw new UsageError(
        `These files differ from what the generator would write: ${conflicts.sort().join(', ')}. Nothing was written. Re-run with --force to overwrite them, or in a terminal to decide file by file.`,
      );
    }
  }

  /** Room and permissions for every file about to be written, checked before any is (write-guard.ts). */
  #prepareWrite(): void {
    const files: { file: string; contents: Buffer }[] = [];
    this.fs.store.each((file) => {
      if (isFilePending(file) && file.contents) files.push({ file: file.path, contents: file.contents });
    });
    prepareWrite(this.destinationRoot(), files);
  }

  /**
   * A file about to be written through a symlink (itself, or a folder on its way) that leads
   * out of the target would change something outside the project: refused, --force or not.
   */
  #refuseEscapes(): void {
    const root = resolvedPath(this.destinationRoot());
    const escapes: string[] = [];
    this.fs.store.each((file) => {
      if (!isFilePending(file)) return;
      const real = resolvedPath(file.path);
      if (real !== root && !real.startsWith(`${root}${path.sep}`))
        escapes.push(`${path.relative(this.destinationRoot(), file.path)} → ${real}`);
    });
    if (escapes.length > 0) {
      throw new UsageError(
        `These files are symlinks (or inside linked folders) that lead out of ${root}: ${escapes.sort().join(', ')}. Nothing was written, with or without --force. Replace the links with the files themselves, or run where they belong.`,
      );
    }
  }

  /** Renders `templates` (paths relative to `root`) with `model` into the target. */
  protected writeTemplates(root: string, templates: readonly string[], model: object, rename: (t: string) => string): void {
    for (const template of templates) {
      this.fs.copyTpl(path.join(root, template), this.destinationPath(rename(template)), model);
    }
  }
}

/** How the summary of answers marks where each came from; a default, the usual case, is unmarked. */
const SOURCE_NOTE: Record<AnswerSource, string> = {
  flag: '  (flag)',
  stored: '  (.yo-rc.json)',
  default: '',
  asked: '',
};

/** Where a path lands once every symlink on it is followed: the deepest part that exists decides. */
function resolvedPath(file: string): string {
  let existing = file;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  return path.join(realpathSync(existing), path.relative(existing, file));
}

/** Answers of a release that kept them flat under the package's key (no `:id` sections). */
function legacyAnswers(stored: Record<string, unknown>): Record<string, unknown> | undefined {
  const flat = Object.fromEntries(Object.entries(stored).filter(([key]) => !key.startsWith(':')));
  return Object.keys(flat).length > 0 ? flat : undefined;
}

/** How a foreign package.json introduces its project: `package.json of "orders-api"`. */
function foreignProject(manifest: string): string {
  try {
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? `package.json of "${name}"` : 'a package.json';
  } catch {
    return 'a package.json';
  }
}

/**
 * A prompt for one question. Its default is worked out when the prompt shows, from the
 * answers given so far and the replies before it, so it follows an earlier reply.
 */
function promptFor<A>(question: QuestionOf<A>, context: DefaultContext, given: Readonly<Record<string, unknown>>) {
  const fallback = (replies: Record<string, unknown> = {}) => question.default({ ...context, answers: { ...given, ...replies } });
  const name = String(question.key);
  const { message } = question;
  if (question.kind === 'choice') {
    return {
      type: 'select' as const,
      name,
      message,
      choices: [...question.choices],
      default: (r?: Record<string, unknown>) => String(fallback(r)),
    };
  }
  if (question.kind === 'toggle')
    return { type: 'confirm' as const, name, message, default: (r?: Record<string, unknown>) => Boolean(fallback(r)) };
  const validate = (value: string) => {
    try {
      question.parse(value);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return { type: 'input' as const, name, message, default: (r?: Record<string, unknown>) => String(fallback(r)), validate };
}

/**
 * The container-api generator: asks (or reads from flags) what the project needs, then
 * renders templates/project from the project model. Run by `yo container-api` and by the
 * `create-container-api` bin alike.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { QUESTIONS, RUN_FLAGS, UsageError, parseGivenAnswers, type CliFlags, type Question } from './command.js';
import { destinationPath, selectTemplates } from './files.js';
import { toProjectModel, type Answers, type ProjectModel } from './project.js';
import { TEMPLATE_ROOT } from './paths.js';

export const GENERATOR_KEY = 'generator-container-api';

/** Entries a directory may hold and still count as empty. */
const IGNORABLE_ENTRIES = new Set(['.git', '.DS_Store']);

type Options = BaseOptions &
  CliFlags & {
    directory?: string;
    yes?: boolean;
    force?: boolean;
    skipInstall?: boolean;
    /** Whether questions may be asked; defaults to whether stdin is a terminal. */
    interactive?: boolean;
  };

export default class ContainerApiGenerator extends Generator<Answers, Options> {
  private answers!: Answers;
  private project!: ProjectModel;

  constructor(args: string[], options: Options) {
    super(args, options);
    // Published as generator-container-api and as create-container-api: the answers live
    // under one key in .yo-rc.json, whichever name ran the generator.
    this.rootGeneratorName = () => GENERATOR_KEY;
    this.argument('directory', {
      type: String,
      required: false,
      description: 'Directory to write the project to (default: the current directory)',
    });
    for (const question of QUESTIONS) {
      const allowed = question.kind === 'choice' ? ` (${question.choices.join('|')})` : '';
      this.option(question.key, {
        type: question.kind === 'toggle' ? Boolean : String,
        description: `${question.message}${allowed}, default: ${String(question.default({ destination: '<dir>' }))}`,
      });
    }
    this.option('yes', { type: Boolean, alias: 'y', description: RUN_FLAGS.yes });
    this.option('force', { type: Boolean, description: RUN_FLAGS.force });
    this.option('interactive', { type: Boolean, hide: true, description: 'Allow prompts' });

    if (this.options.directory) {
      this.destinationRoot(path.resolve(this.options.directory));
      // The environment installs dependencies where package.json lands: its cwd.
      this.env.cwd = this.destinationRoot();
    }
    this.sourceRoot(TEMPLATE_ROOT);
    // The project is installed with npm. Saying so spares yeoman-environment its lockfile
    // search, which finds nothing in a new directory and prints "Error detecting the package
    // manager. Falling back to npm."
    const envOptions = (this.env as unknown as { options: { nodePackageManager?: string } }).options;
    envOptions.nodePackageManager ??= 'npm';
  }

  #interactive(): boolean {
    return this.options.interactive ?? Boolean(process.stdin.isTTY);
  }

  /** Answers stored by an earlier run of this generator in the target directory. */
  #storedAnswers(): Partial<Answers> {
    return (this.config.getAll() as Partial<Answers>) ?? {};
  }

  initializing(): void {
    // Validate every flag before asking or writing anything.
    this.answers = { ...this.#storedAnswers(), ...parseGivenAnswers(this.options) } as Answers;
    this.#refuseNonEmptyDirectory();
  }

  async prompting(): Promise<void> {
    const context = { destination: this.destinationRoot() };
    const pending = QUESTIONS.filter((q) => this.answers[q.key] === undefined);
    for (const question of pending) {
      if (this.options.yes) {
        this.#setAnswer(question, question.default(context));
      } else if (!this.#interactive()) {
        throw new UsageError(
          `No terminal to ask "${question.message}": pass --${question.key}${question.valueHint ? ` ${question.valueHint}` : ''}, or --yes to take the defaults.`,
        );
      }
    }
    const toAsk = pending.filter((q) => this.answers[q.key] === undefined);
    if (toAsk.length === 0) return;
    const replies = await this.prompt(toAsk.map((q) => this.#promptFor(q, context)));
    for (const question of toAsk) this.#setAnswer(question, question.parse(replies[question.key]));
  }

  configuring(): void {
    this.project = toProjectModel(this.answers);
    this.config.set({ ...this.answers });
  }

  writing(): void {
    const templates = selectTemplates(this.templatePath(), this.project);
    const conflicts: string[] = [];
    for (const template of templates) {
      const target = this.destinationPath(destinationPath(template));
      if (existsSync(target) && !this.options.force && this.#renders(template) !== readFileSync(target, 'utf8')) {
        conflicts.push(path.relative(this.destinationRoot(), target));
      }
    }
    if (conflicts.length > 0 && !this.#interactive()) {
      throw new UsageError(
        `These files differ from what the generator would write: ${conflicts.join(', ')}. Nothing was written. Re-run with --force to overwrite them, or in a terminal to decide file by file.`,
      );
    }
    if (this.options.force) this.#forceOverwrites();
    for (const template of templates) {
      this.fs.copyTpl(this.templatePath(template), this.destinationPath(destinationPath(template)), this.project);
    }
    this.#writeApiToken();
  }

  end(): void {
    // The token file stays readable by the container's user (compose bind-mounts it as is);
    // the folder keeps other local users out.
    const secrets = this.destinationPath('secrets');
    if (existsSync(secrets)) chmodSync(secrets, 0o700);
    const relative = path.relative(process.cwd(), this.destinationRoot()) || '.';
    const where = relative.startsWith('..') ? this.destinationRoot() : relative;
    this.log(`\nCreated ${this.project.name} in ${where}. Next:`);
    if (where !== '.') this.log(`  cd ${where}`);
    if (this.options.skipInstall) this.log('  npm install');
    this.log('  npm test                 # type-check, unit tests, container tests');
    this.log('  docker compose up --build # serve on http://localhost:' + this.project.port);
  }

  #setAnswer(question: Question, value: Answers[keyof Answers]): void {
    (this.answers as unknown as Record<string, unknown>)[question.key] = value;
  }

  #promptFor(question: Question, context: { destination: string }) {
    const fallback = question.default(context);
    const { key: name, message } = question;
    if (question.kind === 'choice') {
      return { type: 'select' as const, name, message, choices: [...question.choices], default: String(fallback) };
    }
    if (question.kind === 'toggle') return { type: 'confirm' as const, name, message, default: Boolean(fallback) };
    const validate = (value: string) => {
      try {
        question.parse(value);
        return true;
      } catch (error) {
        return (error as Error).message;
      }
    };
    return { type: 'input' as const, name, message, default: String(fallback), validate };
  }

  /** A non-empty directory is refused unless --force, or it holds a project this generator made. */
  #refuseNonEmptyDirectory(): void {
    const root = this.destinationRoot();
    if (this.options.force || !existsSync(root)) return;
    const madeByUs = existsSync(path.join(root, '.yo-rc.json')) && this.config.get('name') !== undefined;
    if (madeByUs) return;
    const entries = readdirSync(root).filter((entry) => !IGNORABLE_ENTRIES.has(entry));
    if (entries.length > 0) {
      throw new UsageError(
        `${root} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}). Choose an empty or new directory, or pass --force to write into it.`,
      );
    }
  }

  #renders(template: string): string {
    return ejs.render(readFileSync(this.templatePath(template), 'utf8'), this.project, {
      filename: this.templatePath(template),
    });
  }

  /** With --force, the conflicter overwrites changed files instead of asking. */
  #forceOverwrites(): void {
    const env = this.env as unknown as { conflicterOptions?: { force?: boolean } };
    env.conflicterOptions = { ...env.conflicterOptions, force: true };
  }

  /**
   * Compose and swarm read the write token from secrets/api_token. A fresh random one
   * lets `docker compose up` work at once; an existing one is the user's and is kept.
   */
  #writeApiToken(): void {
    if (this.project.auth !== 'token') return;
    const tokenPath = this.destinationPath('secrets/api_token');
    if (existsSync(tokenPath) || this.fs.exists(tokenPath)) return;
    this.fs.write(tokenPath, randomBytes(32).toString('hex'));
  }
}

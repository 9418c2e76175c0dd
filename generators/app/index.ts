/**
 * The container-api generator: asks (or reads from flags) what the project needs, then
 * renders templates/project from the project model, and composes container-api:container
 * (templates/container) with the container model of the same project. Run by `yo container-api`
 * and by the `create-container-api` bin alike. What every generator does alike (flags, the
 * target check, stored answers, conflicts) is in ../lib/generator.ts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ContainerOptions } from '../container/index.js';
import { type PnpmPin, pnpmOnPath, pnpmToPin } from '../container/package-manager-versions.js';
import { destinationPath, selectTemplates } from '../lib/files.js';
import { QuestionGenerator, type RunOptions } from '../lib/generator.js';
import { firstCommit } from '../lib/git.js';
import { note } from '../lib/output.js';
import { APP, othersThan } from '../lib/identities.js';
import { templateRoot } from '../lib/paths.js';
import { answersConflict, type CliFlags, createCommandFor, QUESTIONS, UsageError } from './command.js';
import { toContainerModel } from './container.js';
import { FILE_RULES } from './files.js';
import { type Answers, type ProjectModel, toProjectModel } from './project.js';

export { GENERATOR_KEY } from '../lib/generator.js';

const TEMPLATES = templateRoot('project');
/** The shared container layer: Dockerfile, .dockerignore, compose.yaml. */
const CONTAINER_GENERATOR = fileURLToPath(new URL('../container/index.js', import.meta.url));

type Options = RunOptions & CliFlags;

export default class ContainerApiGenerator extends QuestionGenerator<Answers, Options> {
  private project!: ProjectModel;
  #pnpm: PnpmPin | undefined;

  constructor(args: string[], options: Options) {
    // It installs the new project itself (installDependencies), with progress, after writing.
    super(args, options, QUESTIONS, APP, othersThan(APP), { ownInstall: true });
    this.sourceRoot(TEMPLATES);
  }

  initializing(): void {
    if (this.upgradeInstead()) return;
    // The target and every given answer are checked before asking or writing anything.
    this.readAnswers();
    this.#refuseConflict();
  }

  async prompting(): Promise<void> {
    await this.askRemaining();
    this.#refuseConflict();
  }

  /** Answers that exclude each other stop the run, before anything is written. */
  #refuseConflict(): void {
    const conflict = answersConflict(this.answers);
    if (conflict) throw new UsageError(conflict);
  }

  async configuring(): Promise<void> {
    if (this.answers['package-manager'] === 'pnpm') this.#pnpm = this.#pnpmPin();
    this.project = toProjectModel(this.answers, createCommandFor(this.answers), this.#pnpm?.version);
    for (const line of this.answersTaken((key) => this.#describeAnswer(key))) this.say(line);
    this.say();
    this.saveAnswers();
    this.installWith(this.project['package-manager']);
    const generatorOptions: Partial<ContainerOptions> = { container: toContainerModel(this.project) };
    await this.composeWith(CONTAINER_GENERATOR, { generatorOptions });
  }

  writing(): void {
    this.writeTemplates(TEMPLATES, selectTemplates(TEMPLATES, FILE_RULES, this.project), this.project, destinationPath);
    this.#writeApiToken();
    this.#writeDbPassword();
  }

  conflicts(): void {
    this.refuseConflicts();
  }

  /** The files are on disk by now (the environment writes them before this step): say so, then install. */
  async install(): Promise<void> {
    this.reportFiles();
    if (this.options.skipInstall) return;
    await this.installDependencies(this.project['package-manager']);
  }

  end(): void {
    if (this.endDryRun()) return;
    // The token file stays readable by the container's user (compose bind-mounts it as is);
    // the folder keeps other local users out.
    const secrets = this.destinationPath('secrets');
    if (existsSync(secrets)) chmodSync(secrets, 0o700);
    // After the install, so the first commit holds the lockfile.
    if (!this.options.skipGit) this.#commit();
    const where = this.whereFromHere();
    // "Created my-api in my-api." says the name twice: the folder only when it differs.
    this.say();
    this.say(`Created ${this.project.name}${where === this.project.name || where === '.' ? '' : ` in ${where}`}. Next:`);
    if (where !== '.') this.say(`  cd ${where}`);
    const { pm } = this.project;
    const steps: [string, string][] = [
      ...(this.options.skipInstall ? [[pm.install, 'writes the lockfile the image installs from'] as [string, string]] : []),
      [pm.test, 'type-check, unit tests, container tests'],
      // compose publishes on the loopback address only: the URL says so.
      ['docker compose up --build', `serves on http://127.0.0.1:${this.project.port}`],
    ];
    const width = Math.max(...steps.map(([command]) => command.length));
    for (const [command, what] of steps) this.say(`  ${command.padEnd(width)}  # ${what}`);
  }

  /** git init and a first commit, said in one line; a project inside a repository is left to it. */
  #commit(): void {
    const outcome = firstCommit(this.destinationRoot(), 'Initial commit from create-container-api');
    if (outcome.kind === 'committed') this.say(`Git: a new repository, first commit ${outcome.commit} on ${outcome.branch}.`);
    else if (outcome.kind === 'inside' && outcome.repository === realpathSync(this.destinationRoot()))
      this.say('Git: the project is a repository already; nothing committed.');
    else if (outcome.kind === 'inside') this.say(`Git: left alone, the project is inside the repository at ${outcome.repository}.`);
    else if (outcome.kind === 'no-git') this.say('Git: not installed, so no repository was made.');
    else
      note(
        `Git: a new repository with the files staged, but no commit: ${outcome.why}. Once git can commit here, run git commit -m "Initial commit".`,
      );
  }

  /** The pnpm to pin: the one this project pins already (a re-run), else the user's own, else the known one. */
  #pnpmPin(): PnpmPin {
    const manifest = this.destinationPath('package.json');
    const pinned = existsSync(manifest) ? /^pnpm@(\d+\.\d+\.\d+)$/.exec(readPackageManager(manifest) ?? '')?.[1] : undefined;
    return pinned ? { version: pinned, reason: 'as package.json pins it' } : pnpmToPin(pnpmOnPath());
  }

  /** What the answers summary adds to an answer: the pnpm pinned, and why that one. */
  #describeAnswer(key: keyof Answers): string | undefined {
    if (key === 'package-manager' && this.#pnpm) return `(pins pnpm@${this.#pnpm.version}: ${this.#pnpm.reason})`;
    return undefined;
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

  /** The database's password, which the db service and the api both read: same rules as the token. */
  #writeDbPassword(): void {
    if (!this.project.postgres) return;
    const passwordPath = this.destinationPath('secrets/db_password');
    if (existsSync(passwordPath) || this.fs.exists(passwordPath)) return;
    this.fs.write(passwordPath, randomBytes(24).toString('hex'));
  }
}

/** package.json's `packageManager`, or undefined when it has none or cannot be read. */
function readPackageManager(manifest: string): string | undefined {
  try {
    const field = (JSON.parse(readFileSync(manifest, 'utf8')) as { packageManager?: unknown }).packageManager;
    return typeof field === 'string' ? field : undefined;
  } catch {
    return undefined;
  }
}

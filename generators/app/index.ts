/**
 * The container-api generator: asks (or reads from flags) what the project needs, then
 * renders templates/project from the project model, and composes container-api:container
 * (templates/container) with the container model of the same project. Run by `yo container-api`
 * and by the `create-container-api` bin alike. What every generator does alike (flags, the
 * target check, stored answers, conflicts) is in ../lib/generator.ts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerOptions } from '../container/index.js';
import { destinationPath, selectTemplates } from '../lib/files.js';
import { QuestionGenerator, type RunOptions } from '../lib/generator.js';
import { APP, othersThan } from '../lib/identities.js';
import { templateRoot } from '../lib/paths.js';
import { type CliFlags, QUESTIONS, UsageError } from './command.js';
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

  constructor(args: string[], options: Options) {
    super(args, options, QUESTIONS, APP, othersThan(APP));
    this.sourceRoot(TEMPLATES);
  }

  initializing(): void {
    // The target and every given answer are checked before asking or writing anything.
    this.readAnswers();
  }

  async prompting(): Promise<void> {
    await this.askRemaining();
  }

  async configuring(): Promise<void> {
    // The manifests know the API alone: a database in the cluster (a StatefulSet, or an
    // operator such as CloudNativePG) is not written yet, and half a deployment is worse than none.
    if (this.answers.k8s && this.answers.persistence === 'postgres') {
      throw new UsageError('--k8s does not support --persistence postgres yet: leave out --k8s, or choose --persistence sqlite or none.');
    }
    this.project = toProjectModel(this.answers);
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

  end(): void {
    if (this.endDryRun()) return;
    // The token file stays readable by the container's user (compose bind-mounts it as is);
    // the folder keeps other local users out.
    const secrets = this.destinationPath('secrets');
    if (existsSync(secrets)) chmodSync(secrets, 0o700);
    const relative = path.relative(process.cwd(), this.destinationRoot()) || '.';
    const where = relative.startsWith('..') ? this.destinationRoot() : relative;
    // "Created my-api in my-api." says the name twice: the folder only when it differs.
    this.log(`\nCreated ${this.project.name}${where === this.project.name || where === '.' ? '' : ` in ${where}`}. Next:`);
    if (where !== '.') this.log(`  cd ${where}`);
    const { pm } = this.project;
    if (this.options.skipInstall) this.log(`  ${pm.install}`);
    this.log(`  ${pm.test.padEnd(24)} # type-check, unit tests, container tests`);
    // compose publishes on the loopback address only: the URL says so.
    this.log(`  docker compose up --build # serve on http://127.0.0.1:${this.project.port}`);
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

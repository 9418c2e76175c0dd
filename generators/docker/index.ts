/**
 * container-api:docker, the shared container layer, and the generator for projects this
 * package did not write.
 *
 * - Composed with `{ container }` (container-api:app does this), it renders templates/docker
 *   from that container model and asks nothing.
 * - Run on its own (`yo container-api:docker` in a project, `create-container-api --existing`),
 *   it detects the project in the destination (./detect), shows what it found, asks what
 *   detection cannot settle (./command.ts: every question a flag, --yes takes the findings),
 *   builds the container model from both (./existing.ts) and renders the same layer, plus a
 *   README.Docker.md and a container test for the project's own runner to run.
 */
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BaseOptions } from 'yeoman-generator';
import { destinationPath, selectTemplates } from '../lib/files.js';
import { QuestionGenerator, type RunOptions } from '../lib/generator.js';
import { templateRoot } from '../lib/paths.js';
import { UsageError } from '../lib/questions.js';
import { EXISTING_QUESTIONS, type ExistingAnswers, type ExistingFlags, findingsFor } from './command.js';
import { parseDotenv } from './detect/environment.js';
import { type Findings, summarize } from './detect/index.js';
import { existingContainerModel, SECRET_ENV } from './existing.js';
import { FILE_RULES } from './files.js';
import type { ContainerModel } from './model.js';

const TEMPLATES = templateRoot('docker');
/** The testcontainers release the container test is written against. */
const TESTCONTAINERS = '^12.2.0';
/** The app's files this generator adds to (a script, a dependency, an ignore line) and never rewrites. */
const ADDITIONS: ReadonlySet<string> = new Set(['package.json', '.gitignore']);

export type DockerOptions = BaseOptions & RunOptions & ExistingFlags & { container?: ContainerModel };

export default class DockerGenerator extends QuestionGenerator<ExistingAnswers, DockerOptions> {
  #container: ContainerModel | undefined;
  #findings: Findings | undefined;
  /** Composed with a model: nothing to detect or ask. */
  readonly #composed: boolean;

  constructor(args: string[], options: DockerOptions) {
    super(args, options, EXISTING_QUESTIONS);
    this.#container = options.container;
    this.#composed = options.container !== undefined;
    this.target = 'existing';
    this.sourceRoot(TEMPLATES);
  }

  initializing(): void {
    if (this.#composed) return;
    this.readAnswers();
    this.#findings = findingsFor(this.destinationRoot());
    this.#refuseWorkspaces(this.#findings);
    for (const line of summarize(this.#findings)) this.log(line);
    this.log('');
  }

  #refuseWorkspaces(findings: Findings): void {
    const parent = enclosingWorkspaceRoot(findings.root);
    const where = findings.workspaces ? findings.root : parent;
    if (!where) return;
    const packages = findings.workspaces?.packages.join(', ') ?? path.relative(parent!, findings.root);
    throw new UsageError(
      `${where} is a monorepo with workspaces (${packages}). Containerizing one workspace package (--workspace) is not supported yet: nothing was written. Containerize a package that installs on its own, with its own lockfile.`,
    );
  }

  async prompting(): Promise<void> {
    if (this.#composed) return;
    await this.askRemaining();
    const { answers } = this;
    if (answers.build !== 'none' && !(answers.build in (this.#readPackage().scripts ?? {}))) {
      throw new UsageError(
        `--build ${answers.build}: package.json has no script of that name. Name one of its scripts, or pass --build none.`,
      );
    }
  }

  configuring(): void {
    if (this.#composed) return;
    this.#container = existingContainerModel(this.#findings!, this.answers);
    this.config.set({ ...this.answers });
    // The install after writing (testcontainers is added) uses the project's own manager.
    this.installWith(this.answers.manager);
  }

  /**
   * The image installs exactly the lockfile: with none, or with --skip-install after adding
   * testcontainers, npm resolves it now (no install, no scripts run).
   */
  install(): void {
    if (this.#composed || this.answers.manager !== 'npm') return;
    // With --skip-install, the lockfile must still list testcontainers, or `npm ci` refuses it.
    if (this.#findings!.packageManager.lockfile && !this.options.skipInstall) return;
    this.log('Updating package-lock.json (npm install --package-lock-only --ignore-scripts).');
    this.spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: this.destinationRoot(),
    });
  }

  writing(): void {
    const container = this.#container!;
    // What only an existing project's own files (README.Docker.md, the container test) say.
    const secrets = new Set(this.answers.secrets ?? []);
    const unsetVariables = this.#findings?.env.filter((v) => v.value === '' && !secrets.has(v.name)) ?? [];
    // gracefulStop spelled out: a composed model (a new project) leaves it out, and ejs needs every name.
    const model = {
      ...container,
      gracefulStop: container.gracefulStop,
      findings: this.#findings,
      answers: this.answers,
      secretEnv: SECRET_ENV,
      unsetVariables,
    };
    for (const template of selectTemplates(TEMPLATES, FILE_RULES, container)) {
      this.fs.copyTpl(this.templatePath(template), this.destinationPath(destinationPath(template)), model);
    }
    if (this.#composed) return;
    this.#writeSecrets();
    this.#extendPackage();
    this.#ignoreSecrets();
  }

  conflicts(): void {
    if (this.#composed) return;
    this.refuseConflicts(ADDITIONS);
    // Added to, never rewritten: no question to ask about them.
    for (const file of ADDITIONS) {
      const pending = this.fs.store.get(this.destinationPath(file)) as { conflicter?: string };
      if (this.fs.exists(this.destinationPath(file))) pending.conflicter = 'force';
    }
  }

  end(): void {
    if (this.#composed) return;
    const secrets = this.destinationPath('secrets');
    if (existsSync(secrets)) chmodSync(secrets, 0o700);
    const run = this.#container!.install.run;
    const preload = this.#container!.gracefulStop ? ', docker/graceful-stop.mjs' : '';
    this.log(`\nWritten: Dockerfile, .dockerignore, compose.yaml, README.Docker.md, test/container/container.test.mjs${preload}. Next:`);
    if (this.options.skipInstall) this.log(`  ${this.answers.manager} install        # adds testcontainers`);
    this.log(`  ${run('test:container')}   # builds the image, proves it healthy, non-root, stopping cleanly`);
    this.log(`  docker compose up --build  # serves on http://127.0.0.1:${this.answers.port}`);
  }

  #readPackage(): { scripts?: Record<string, string>; devDependencies?: Record<string, string> } {
    return JSON.parse(readFileSync(this.destinationPath('package.json'), 'utf8'));
  }

  /**
   * secrets/app.env: the secret variables as `NAME=value` lines, which node loads with
   * --env-file-if-exists from /run/secrets. Values come from the example env file (or are
   * empty for the user to fill); a file already there is the user's and is kept.
   */
  #writeSecrets(): void {
    if (this.answers.secrets.length === 0) return;
    const target = this.destinationPath(SECRET_ENV.file);
    if (existsSync(target)) return;
    const example = this.#findings!.exampleFile
      ? parseDotenv(readFileSync(this.destinationPath(this.#findings!.exampleFile), 'utf8'))
      : new Map();
    const lines = this.answers.secrets.map((name) => `${name}=${example.get(name) ?? ''}`);
    this.fs.write(
      target,
      `# Secrets for ${this.#findings!.name}: mounted at ${SECRET_ENV.target}, loaded by node --env-file. Never commit this file.\n${lines.join('\n')}\n`,
    );
  }

  /** The container test's one dependency and its script; nothing of the app's own is changed. */
  #extendPackage(): void {
    const pkg = this.#readPackage();
    const additions: Record<string, unknown> = {};
    if (!pkg.scripts?.['test:container']) additions.scripts = { 'test:container': 'node --test test/container/container.test.mjs' };
    if (!pkg.devDependencies?.testcontainers) additions.devDependencies = { testcontainers: TESTCONTAINERS };
    if (Object.keys(additions).length > 0) this.fs.extendJSON(this.destinationPath('package.json'), additions);
  }

  /** secrets/ must never reach git: added to .gitignore when it is not there yet. */
  #ignoreSecrets(): void {
    if (this.answers.secrets.length === 0) return;
    const file = this.destinationPath('.gitignore');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current.split(/\r?\n/).some((line) => /^\/?secrets\/?(\*\*?)?$/.test(line.trim()))) return;
    this.fs.write(
      file,
      `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}# Written by container-api:docker: the container's secrets.\nsecrets/\n`,
    );
  }
}

/** The nearest folder above `root` whose package.json declares workspaces, if any. */
function enclosingWorkspaceRoot(root: string): string | undefined {
  for (let dir = path.dirname(root); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (pkg.workspaces || existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

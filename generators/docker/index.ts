/**
 * container-api:docker, the generator for projects this package did not write
 * (`yo container-api:docker` in a project, `create-container-api --existing`): detect → model
 * → render. It detects the project in the destination (./detect), shows what it found, asks
 * what detection cannot settle (./command.ts: every question a flag, --yes takes the
 * findings), builds the container model from both (./model.ts), composes the shared layer
 * (container-api:container) with it, and writes its own README.Docker.md and a container test
 * for the project's own runner (templates/docker).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaseOptions } from 'yeoman-generator';
import type { ContainerOptions } from '../container/index.js';
import type { ContainerModel } from '../container/model.js';
import { hostInstall, type LockfileUpdate, lockfileUpdateFor } from '../container/package-managers.js';
import { destinationPath, selectTemplates } from '../lib/files.js';
import { QuestionGenerator, type RunOptions } from '../lib/generator.js';
import { DOCKER, othersThan } from '../lib/identities.js';
import { templateRoot } from '../lib/paths.js';
import { type DefaultContext, UsageError } from '../lib/questions.js';
import { EXISTING_QUESTIONS, type ExistingAnswers, type ExistingFlags, findingsFor } from './command.js';
import { dotenvLine, parseDotenv } from './detect/environment.js';
import { type Findings, summarize } from './detect/index.js';
import { pnpmLockImporters, type WorkspacePackage, workspacePackage } from './detect/workspaces.js';
import { FILE_RULES as CONTAINER_FILE_RULES } from '../container/files.js';
import { FILE_RULES } from './files.js';
import { existingContainerModel, existingModel, generatedSecrets, SECRET_ENV, wiredVariables } from './model.js';
import { specsFor, connectionValue } from './services.js';
import { CONTAINER_TEST_TEMPLATE, CONTAINER_TESTS, type ContainerTest } from './test-runners.js';

const TEMPLATES = templateRoot('docker');
const CONTAINER_GENERATOR = fileURLToPath(new URL('../container/index.js', import.meta.url));
/** The testcontainers release the container test is written against. */
const TESTCONTAINERS = '^12.2.0';
/** The app's files this generator adds to (a script, a dependency, an ignore line) and never rewrites. */
const ADDITIONS: ReadonlySet<string> = new Set(['package.json', '.gitignore']);

export type DockerOptions = BaseOptions & RunOptions & ExistingFlags;

export default class DockerGenerator extends QuestionGenerator<ExistingAnswers, DockerOptions> {
  #container: ContainerModel | undefined;
  #findings: Findings | undefined;
  /** --json: the findings and the planned files are printed, and nothing else happens. */
  #json = false;
  /** The lockfile update that failed, when it did: end() says to run it. */
  #lockfileNotUpdated: string | undefined;
  #workspace: WorkspacePackage | undefined;

  constructor(args: string[], options: DockerOptions) {
    // install() updates the lockfile itself, with the lockfile's own manager.
    super(args, options, EXISTING_QUESTIONS, DOCKER, othersThan(DOCKER), { ownInstall: true });
    this.target = 'existing';
    this.sourceRoot(TEMPLATES);
  }

  async initializing(): Promise<void> {
    if (this.upgradeInstead()) return;
    this.readAnswers();
    // --json reports what --yes would do (flags still override a finding), and is never asked.
    this.#json = this.answers.json === true;
    if (this.#json) this.options.yes = true;
    this.answers.json = false;
    const found = findingsFor(this.destinationRoot());
    refuseUnsupported(found);
    this.#workspace = await this.#chooseWorkspace(found);
    this.#findings = this.#workspace ? findingsFor(this.#packageRoot()) : found;
    if (this.#json) return;
    for (const line of summarize(this.#findings)) this.say(line);
    if (this.#workspace)
      this.say(`  workspace       ${this.#workspace.dir} (${this.#workspace.name}) of ${found.root}${this.#describeInternal()}`);
    this.say();
  }

  /**
   * In a monorepo, the one workspace package to containerize: --workspace (a folder or a
   * package name), else a question; with --yes and no --workspace, a refusal that lists them.
   */
  async #chooseWorkspace(found: Findings): Promise<WorkspacePackage | undefined> {
    const given = this.answers.workspace === 'none' ? '' : (this.answers.workspace ?? '');
    if (found.workspaceRoot) {
      const here = path.relative(found.workspaceRoot, found.root);
      throw new UsageError(
        `${found.root} is the workspace package ${here} of the monorepo at ${found.workspaceRoot}: its lockfile is there. Run at the monorepo root with --workspace ${here}. Nothing was written.`,
      );
    }
    if (!found.workspaces) {
      if (given)
        throw new UsageError(
          `--workspace ${given}: ${found.root} declares no workspaces. Leave --workspace out to containerize it as it is.`,
        );
      this.answers.workspace = 'none';
      return undefined;
    }
    const { packages } = found.workspaces;
    let wanted = given;
    if (!wanted) {
      if (this.options.yes || !this.interactive())
        throw new UsageError(
          `${found.root} is a monorepo (${found.workspaces.source}: ${packages.join(', ')}). Choose the package to containerize with --workspace, e.g. --workspace ${packages[0]}. Nothing was written.`,
        );
      const reply = await this.prompt([
        { type: 'select', name: 'workspace', message: 'Workspace package to containerize', choices: packages },
      ]);
      wanted = String(reply.workspace);
    }
    const chosen = workspacePackage(found.root, found.workspaces, wanted);
    if (!chosen)
      throw new UsageError(
        `--workspace ${wanted} is none of the workspace packages: ${packages.join(', ')}. Give a folder or a package name. Nothing was written.`,
      );
    const importers = found.packageManager.name === 'pnpm' ? pnpmLockImporters(found.root) : undefined;
    if (importers && !importers.includes(chosen.dir))
      throw new UsageError(
        `${chosen.dir} is not in pnpm-lock.yaml (it has installs for ${importers.join(', ')} only), so pnpm installs none of its dependencies, in the image or here${!existsSync(path.join(found.root, 'pnpm-workspace.yaml')) ? ': pnpm reads workspaces from pnpm-workspace.yaml, not package.json "workspaces"' : ''}. Either list the packages in pnpm-workspace.yaml and run pnpm install, or, for npm workspaces, remove pnpm-lock.yaml and run npm install. Nothing was written.`,
      );
    this.answers.workspace = chosen.dir;
    return chosen;
  }

  #describeInternal(): string {
    const internal = this.#workspace?.internal ?? [];
    if (internal.length === 0) return '';
    return `; needs ${internal.map((dep) => `${dep.dir}${dep.buildScript ? ` (built with "${dep.buildScript}")` : ''}`).join(', ')}`;
  }

  /** The folder of the package containerized: the target, or the chosen workspace package in it. */
  #packageRoot(): string {
    return this.#workspace ? this.destinationPath(this.#workspace.dir) : this.destinationRoot();
  }

  /** A file of the package containerized (where the Docker files go). */
  #at(file: string): string {
    return path.join(this.#packageRoot(), file);
  }

  protected override defaultContext(): DefaultContext {
    return { destination: this.#packageRoot() };
  }

  async prompting(): Promise<void> {
    await this.askRemaining();
    const { answers } = this;
    if (answers.build !== 'none' && !(answers.build in (this.#readPackage().scripts ?? {}))) {
      throw new UsageError(
        `--build ${answers.build}: package.json has no script of that name. Name one of its scripts, or pass --build none.`,
      );
    }
    const runner = answers['test-runner'];
    // In a monorepo, a runner the root has as a dev dependency runs the package's tests too.
    const manifests = [this.#readPackage(), ...(this.#workspace ? [this.#readPackage(this.destinationPath('package.json'))] : [])];
    if (runner !== 'node' && !manifests.some((pkg) => runner in { ...pkg.dependencies, ...pkg.devDependencies })) {
      throw new UsageError(
        `--test-runner ${runner}: ${runner} is not among package.json's dependencies. Install it first, or pass --test-runner node.`,
      );
    }
    if (this.#json) this.#printJson();
  }

  /**
   * --json: what was found, the answers taken, and the files a run would write, as one JSON
   * document on stdout (the log goes to stderr), written by this generator itself; the later
   * steps then do nothing, so nothing is composed, written, stored or installed.
   */
  #printJson(): void {
    const { json: _, ...answers } = this.answers;
    const container = existingContainerModel(this.#findings!, this.answers, this.#workspace);
    const containerTest = this.#containerTest();
    const model = existingModel(container, this.#findings!, this.answers, containerTest);
    const written = [
      ...selectTemplates(templateRoot('container'), CONTAINER_FILE_RULES, container).map(destinationPath),
      ...selectTemplates(TEMPLATES, FILE_RULES, model).map((t) =>
        t === CONTAINER_TEST_TEMPLATE ? containerTest.file : destinationPath(t),
      ),
      ...(container.secrets.length > 0 && !existsSync(this.#at(SECRET_ENV.file)) ? [SECRET_ENV.file] : []),
      ...specsFor(answers.services)
        .flatMap((spec) => [spec.passwordFile, ...spec.ownPasswordFiles])
        .filter((file) => !existsSync(this.#at(file))),
    ];
    const files = [
      ...written.sort().map((file) => ({ path: this.#fromRoot(file), action: existsSync(this.#at(file)) ? 'overwrite' : 'create' })),
      { path: this.#fromRoot('package.json'), action: 'add to', what: 'devDependencies.testcontainers, scripts.test:container' },
      ...(container.composeSecrets.length > 0 ? [{ path: this.#fromRoot('.gitignore'), action: 'add to', what: 'secrets/' }] : []),
      { path: '.yo-rc.json', action: existsSync(this.destinationPath('.yo-rc.json')) ? 'overwrite' : 'create' },
      {
        path: container.install.lockfile,
        action: existsSync(this.destinationPath(container.install.lockfile)) ? 'update' : 'create',
        what: this.options.skipInstall ? 'not run (--skip-install)' : commandLine(lockfileUpdateFor(container.install)),
      },
    ];
    const report = { findings: this.#findings, workspace: this.#workspace ?? null, answers, files };
    // undefined (nothing found) is said as null, so every key is there for a reader to test.
    process.stdout.write(`${JSON.stringify(report, (_, value) => (value === undefined ? null : value), 2)}\n`);
  }

  /** A file of the package, named from the project root (where --workspace puts it). */
  #fromRoot(file: string): string {
    return path.relative(this.destinationRoot(), this.#at(file)).split(path.sep).join('/');
  }

  async configuring(): Promise<void> {
    if (this.#json) return;
    this.#container = existingContainerModel(this.#findings!, this.answers, this.#workspace);
    // A way to run, not an answer about the project: a re-run is never a --json one.
    delete this.answers.json;
    this.saveAnswers();
    const generatorOptions: Partial<ContainerOptions> = { container: this.#container, into: this.#packageRoot() };
    await this.composeWith(CONTAINER_GENERATOR, { generatorOptions });
  }

  /**
   * The image installs exactly the lockfile, which must list testcontainers: the lockfile is
   * updated here (lockfileUpdateFor: the lockfile's own manager and major, the lockfile only,
   * nothing built on the host), at the monorepo root for a workspace package. The environment's
   * own install is off (ownInstall in the constructor): it runs whatever manager the PATH has,
   * and installs everything. With --skip-install nothing runs at all: end() says what to run.
   * Should the update fail, the files stay written and end() says what to run instead.
   */
  install(): void {
    if (this.#json) return;
    this.reportFiles();
    if (this.options.skipInstall) return;
    const update = lockfileUpdateFor(this.#container!.install);
    const where = this.#workspace ? ' at the monorepo root' : '';
    this.log(`Updating ${this.#container!.install.lockfile}${where}: ${commandLine(update)}`);
    const modes = this.#ownFileModes();
    const result = this.spawnSync(update.command, [...update.args], {
      cwd: this.destinationRoot(),
      env: update.env,
      reject: false,
    });
    // A manager may mark the project's own bin files executable; they are the app's, and stay as they were.
    for (const [file, mode] of modes) if (existsSync(file) && statSync(file).mode !== mode) chmodSync(file, mode);
    if (result.exitCode !== 0) this.#lockfileNotUpdated = commandLine(update);
  }

  /** The modes of the files the package's `bin` names, before the manager runs. */
  #ownFileModes(): Map<string, number> {
    const roots = [...new Set([this.destinationRoot(), this.#packageRoot()])];
    const modes = new Map<string, number>();
    for (const root of roots) {
      const { bin } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
      for (const file of typeof bin === 'string' ? [bin] : Object.values(bin ?? {})) {
        const at = path.resolve(root, file);
        if (at.startsWith(root + path.sep) && existsSync(at)) modes.set(at, statSync(at).mode);
      }
    }
    return modes;
  }

  writing(): void {
    if (this.#json) return;
    const containerTest = this.#containerTest();
    const model = existingModel(this.#container!, this.#findings!, this.answers, containerTest);
    for (const template of selectTemplates(TEMPLATES, FILE_RULES, model)) {
      const target = template === CONTAINER_TEST_TEMPLATE ? containerTest.file : destinationPath(template);
      this.fs.copyTpl(this.templatePath(template), this.#at(target), model);
    }
    this.#writeSecrets();
    this.#extendPackage();
    this.#ignoreSecrets();
  }

  conflicts(): void {
    if (this.#json) return;
    const additions = [...ADDITIONS].map((file) => path.relative(this.destinationRoot(), this.#at(file)));
    this.refuseConflicts(new Set(additions));
    // Added to, never rewritten: no question to ask about them.
    for (const file of additions) {
      const pending = this.fs.store.get(this.destinationPath(file)) as { conflicter?: string };
      if (this.fs.exists(this.destinationPath(file))) pending.conflicter = 'force';
    }
  }

  end(): void {
    if (this.#json || this.endDryRun()) return;
    const secrets = this.#at('secrets');
    if (existsSync(secrets)) chmodSync(secrets, 0o700);
    const run = this.#container!.install.run;
    const where = this.#workspace ? `${this.#workspace.dir}/` : '';
    const ignore = this.#workspace ? 'Dockerfile.dockerignore' : '.dockerignore';
    const preload = this.#container!.stop.preload ? ', docker/graceful-stop.mjs' : '';
    // Said from where the user is: the commands below run in the project (the monorepo root).
    const relative = path.relative(process.cwd(), this.destinationRoot());
    const project = relative === '' ? '.' : relative.startsWith('..') ? this.destinationRoot() : relative;
    this.say();
    this.say(
      `Written in ${path.join(project, where)}${path.sep}: Dockerfile, ${ignore}, compose.yaml, README.Docker.md, ${this.#containerTest().file}${preload}. Next:`,
    );
    if (project !== '.') this.say(`  cd ${project}`);
    const lockfile = this.#container!.install.lockfile;
    const at = this.#workspace ? ' (at the monorepo root)' : '';
    // One install, with the lockfile's own manager and no scripts (the host need not build the app's addons).
    const install = `  ${hostInstall(this.#container!.install)}${at}   #`;
    if (this.#lockfileNotUpdated)
      this.say(`${install} failed above (${this.#lockfileNotUpdated}): adds testcontainers to ${lockfile}, which the image installs from`);
    else if (this.options.skipInstall) this.say(`${install} adds testcontainers to ${lockfile}, which the image installs from`);
    else this.say(`${install} installs testcontainers here, for the container test`);
    this.say(`  ${run('test:container')}   # builds the image, proves it healthy, non-root, stopping cleanly`);
    this.say(`  docker compose ${where ? `-f ${where}compose.yaml ` : ''}up --build  # serves on http://127.0.0.1:${this.answers.port}`);
  }

  #containerTest(): ContainerTest {
    return CONTAINER_TESTS[this.answers['test-runner']];
  }

  #readPackage(file = this.#at('package.json')): {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  } {
    return JSON.parse(readFileSync(file, 'utf8'));
  }

  /**
   * The services' secret files, each with a generated password (one already there is kept, and
   * its password reused), then secrets/app.env: the secret variables as `NAME=value` lines,
   * which node loads with --env-file-if-exists from /run/secrets. Values come from the example
   * env file (or are empty for the user to fill); the variables that reach a service get its
   * host, port, user, database or URL, with its password. An app.env already there is the
   * user's: it is kept, and only the variables it lacks are added to it.
   */
  #writeSecrets(): void {
    const passwords = new Map(
      specsFor(this.answers.services).map((spec) => {
        const file = this.#at(spec.passwordFile);
        const password = existsSync(file) ? spec.passwordIn(readFileSync(file, 'utf8')) : undefined;
        if (password) return [spec.kind, { spec, password }] as const;
        const fresh = newPassword();
        this.fs.write(file, spec.passwordFileText(fresh));
        return [spec.kind, { spec, password: fresh }] as const;
      }),
    );
    for (const file of specsFor(this.answers.services).flatMap((spec) => spec.ownPasswordFiles)) {
      if (!existsSync(this.#at(file))) this.fs.write(this.#at(file), newPassword());
    }
    const variables = this.#container!.secretVariables;
    if (variables.length === 0) return;
    const wired = new Map(wiredVariables(this.#findings!, this.answers).map((w) => [w.name, w]));
    const example = this.#findings!.exampleFile ? parseDotenv(readFileSync(this.#at(this.#findings!.exampleFile), 'utf8')) : new Map();
    const generated = new Set(generatedSecrets(this.#findings!, this.answers));
    const value = (name: string): string => {
      const wiring = wired.get(name);
      if (generated.has(name)) return randomBytes(36).toString('base64url');
      if (!wiring) return example.get(name) ?? '';
      const { spec, password } = passwords.get(wiring.kind)!;
      return connectionValue(wiring.part, spec.endpoint, password);
    };
    const target = this.#at(SECRET_ENV.file);
    if (existsSync(target)) {
      const current = readFileSync(target, 'utf8');
      const have = parseDotenv(current);
      const missing = variables.filter((name) => !have.has(name));
      if (missing.length === 0) return;
      const lines = missing.map((name) => dotenvLine(name, value(name)));
      this.fs.write(target, `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}${lines.join('\n')}\n`);
      return;
    }
    const lines = variables.map((name) => dotenvLine(name, value(name)));
    this.fs.write(
      target,
      `# Secrets for ${this.#findings!.name}: mounted at ${SECRET_ENV.target}, loaded by node --env-file. Never commit this file.\n${lines.join('\n')}\n`,
    );
  }

  /**
   * The container test's one dependency and its script, which runs it with the project's own
   * runner (already a dev dependency); nothing of the app's own is changed.
   */
  #extendPackage(): void {
    const pkg = this.#readPackage();
    const additions: Record<string, unknown> = {};
    if (!pkg.scripts?.['test:container']) additions.scripts = { 'test:container': this.#containerTest().script };
    if (!pkg.devDependencies?.testcontainers) additions.devDependencies = { testcontainers: TESTCONTAINERS };
    if (Object.keys(additions).length > 0) this.fs.extendJSON(this.#at('package.json'), additions);
  }

  /** secrets/ must never reach git: added to .gitignore when it is not there yet. */
  #ignoreSecrets(): void {
    if (this.#container!.composeSecrets.length === 0) return;
    const file = this.#at('.gitignore');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current.split(/\r?\n/).some((line) => /^\/?secrets\/?(\*\*?)?$/.test(line.trim()))) return;
    this.fs.write(
      file,
      `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}# Written by container-api:docker: the container's secrets.\nsecrets/\n`,
    );
  }
}

/**
 * A project whose manager the image cannot run (bun, deno) is refused before anything is
 * written: installing it with npm would write a package-lock.json beside its own lockfile and
 * run it on node, which is not what it was tested on.
 */
function refuseUnsupported(found: Findings): void {
  const { unsupported: manager, lockfile } = found.packageManager;
  if (!manager) return;
  // With a lockfile, npm, pnpm and Yarn cannot read it; with none yet (a script runs bun), what is missing is bun itself.
  const why = lockfile
    ? `a ${manager} lockfile cannot be installed by them`
    : `${manager}, which the project is written for, is not in the image`;
  throw new UsageError(
    `${found.root} is a ${manager} project (${found.packageManager.source}): the image installs and runs with node and npm, pnpm or Yarn, and ${why}. Nothing was written.`,
  );
}

/** 144 random bits, URL-safe: a password that goes into connection URLs and dotenv lines as it is. */
const newPassword = () => randomBytes(18).toString('base64url');

/** A command as the user would type it. */
function commandLine({ command, args, env }: LockfileUpdate): string {
  const vars = Object.entries(env).map(([name, value]) => `${name}=${value} `);
  return `${vars.join('')}${command} ${args.join(' ')}`;
}

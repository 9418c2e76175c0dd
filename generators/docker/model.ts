/**
 * An existing project in the container model's terms: what detection found, corrected by
 * the answers. The shared layer (templates/container) renders the result like any other app;
 * this generator's own files (templates/docker) read the few facts more that ExistingModel adds.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inlineHealthCheck } from '../container/health.js';
import {
  APP_DIR,
  type ContainerModel,
  containerModel,
  execForm,
  type Install,
  type Service,
  stageHeading,
  type WorkspaceImage,
} from '../container/model.js';
import { runtimeUserFor } from '../container/node.js';
import { hostInstall, installFor, runIn, workspaceInstall } from '../container/package-managers.js';
import type { ExistingAnswers } from './command.js';
import type { Findings } from './detect/index.js';
import type { WorkspacePackage } from './detect/workspaces.js';
import { broughtBy, specsFor, type Wiring, wiringsFor } from './services.js';
import type { ContainerTest } from './test-runners.js';

/** Where compose mounts the env file of secrets; node reads it with --env-file-if-exists. */
export const SECRET_ENV = { name: 'app_env', file: 'secrets/app.env', target: '/run/secrets/app_env' } as const;

/** The preload that gives an app without a SIGTERM handler a clean stop, as the CMD loads it. */
export const GRACEFUL_STOP = './docker/graceful-stop.mjs';

/**
 * Secrets the app makes up itself (a cookie, session or JWT signing key), not ones a third
 * party issues (API keys, OAuth client secrets): with no example value, a random one is
 * generated, since an empty one fails at startup (@fastify/session wants 32 characters).
 */
const SELF_MADE_SECRET = /^(?:[A-Z0-9]+_)*(?:COOKIE|SESSION|JWT|SIGNING|ENCRYPTION|CSRF|APP)_SECRET(?:_KEY)?$|^(?:SECRET_KEY|APP_KEY)$/;

/** The secret variables with no example value that get a generated one in secrets/app.env. */
export function generatedSecrets(findings: Findings, answers: ExistingAnswers): string[] {
  const wired = new Set(wiredVariables(findings, answers).map((w) => w.name));
  return findings.env
    .filter((v) => answers.secrets.includes(v.name) && !wired.has(v.name) && v.value === '' && SELF_MADE_SECRET.test(v.name))
    .map((v) => v.name);
}

/** A value as a YAML scalar: quoted, so `yes`, `0123` or `a: b` stay strings. */
const yamlScalar = (value: string) => JSON.stringify(value);

export function existingContainerModel(findings: Findings, answers: ExistingAnswers, workspace?: WorkspacePackage): ContainerModel {
  const manager = answers['package-manager'];
  const spec = { name: manager, version: manager === findings.packageManager.name ? findings.packageManager.version : '' };
  const pinned = installFor(spec);
  const lockRoot = findings.workspaceRoot ?? findings.root;
  // Only the manager's config files the project has (a new project's pnpm-workspace.yaml is not one).
  const own = { ...pinned, configFiles: pinned.configFiles.filter((file) => existsSync(path.join(lockRoot, file))) };
  const install = workspace ? workspaceInstall(own, workspace) : own;
  // The variables that reach the services go to the secret file too, whatever --secrets says:
  // their values are the generated passwords and the services' names.
  const wired = wiredVariables(findings, answers);
  const secrets = new Set([...answers.secrets, ...wired.map((w) => w.name)]);

  // What the start command found says beyond its file holds only while that file is the one run.
  const found = findings.start?.file === answers.start ? findings.start : undefined;
  const nodeArgs = [...(found?.nodeArgs ?? [])];
  if (secrets.size > 0) nodeArgs.push(`--env-file-if-exists=${SECRET_ENV.target}`);
  // With a handler of the app's own, the preload only acts after it (and only if it ended nothing).
  // A handler that re-raises the signal runs first and undisturbed: the preload takes the second one.
  const { handlesSigterm, sigtermKeepsRunning, sigtermReraises } = findings.behaviour;
  const preload = answers.graceful ? { afterApp: handlesSigterm && !sigtermReraises, takesReraise: sigtermReraises } : undefined;
  if (preload) nodeArgs.push('--import', GRACEFUL_STOP);
  const startArgs = [...nodeArgs, answers.start, ...(found?.args ?? [])];
  const distroless = answers.runtime === 'distroless';

  return containerModel({
    name: findings.name,
    port: answers.port,
    node: answers.node,
    runtime: answers.runtime,
    install,
    build: buildOf(own, install, answers, workspace),
    copyContext: true,
    productionDependencies: hasDependencies(findings.root),
    buildTools: answers.tools,
    nativeAddons: findings.native.compiling,
    skipDownloads: findings.native.downloads,
    // `npm pkg delete` edits the root's package.json, not a workspace package's.
    dropScripts: workspace ? [] : findings.lifecycle.map((l) => l.script),
    hookFiles: workspace ? [] : findings.hookFiles,
    environment: findings.env.filter((v) => !secrets.has(v.name) && v.value !== '').map((v) => [v.name, yamlScalar(v.value)] as const),
    imageEnv: Object.entries(found?.env ?? {}),
    start: execForm(distroless ? startArgs : ['node', ...startArgs]),
    stop: { drains: false, handler: handlesSigterm, handlerEndsNothing: handlesSigterm && sigtermKeepsRunning, preload },
    healthCheck: inlineHealthCheck(
      runtimeUserFor(answers.runtime).nodeBin,
      answers.port,
      answers.health === 'tcp' ? undefined : answers.health,
    ),
    dataDir:
      answers.volume === 'none' ? undefined : path.posix.resolve(workspace ? `${APP_DIR}/${workspace.dir}` : APP_DIR, answers.volume),
    secrets: secrets.size > 0 ? [{ ...SECRET_ENV, env: undefined, variables: [...secrets] }] : [],
    services: specsFor(answers.services).map((spec) => spec.service),
    // README.Docker.md is this generator's own, and a re-run must find the same list.
    contextIgnores: [...new Set([...findings.docs, 'README.Docker.md'])].sort(),
    metricsPort: undefined,
    dev: undefined,
    workspace: workspace && workspaceImage(own, answers, workspace),
  });
}

/** The app's variables that name a part of a chosen service's connection (DB_HOST, REDIS_URL, …). */
export function wiredVariables(findings: Findings, answers: ExistingAnswers): Wiring[] {
  return wiringsFor(
    findings.env.map((v) => v.name),
    answers.services,
  );
}

/** The build step: the monorepo's internal packages first, each with its own script, then the app's. */
function buildOf(own: Install, install: Install, answers: ExistingAnswers, workspace: WorkspacePackage | undefined) {
  const builds = [
    ...(workspace?.internal ?? []).flatMap((dep) => (dep.buildScript ? [runIn(own, dep, dep.buildScript)] : [])),
    ...(answers.build === 'none' ? [] : [install.run(answers.build)]),
  ];
  if (builds.length === 0) return undefined;
  return {
    heading: stageHeading('build', `the app's own build script writes ${answers.outdir}/`),
    files: ['.'],
    dirs: [],
    wholeContext: true,
    script: answers.build,
    command: builds.join(' \\\n    && '),
    outputDir: answers.outdir,
  };
}

function workspaceImage(own: Install, answers: ExistingAnswers, workspace: WorkspacePackage): WorkspaceImage {
  return {
    dir: workspace.dir,
    root: workspace.dir
      .split('/')
      .map(() => '..')
      .join('/'),
    // npm installs one workspace from the root manifest, the lockfile and the manifests of
    // the packages it needs (Yarn 1 too, once its workspaces are narrowed to them); pnpm and
    // Yarn 2+ check every importer the lockfile lists.
    manifests: (own.packageManager === 'npm' || own.yarnClassic === true ? [...workspace.internal, workspace] : workspace.all).map(
      (p) => `${p.dir}/package.json`,
    ),
    dirs: [...workspace.internal.map((dep) => dep.dir), workspace.dir],
    outputs: [
      ...workspace.internal.filter((dep) => dep.buildScript).map((dep) => `${dep.dir}/${dep.outputDir}`),
      ...(answers.build === 'none' ? [] : [`${workspace.dir}/${answers.outdir}`]),
    ],
    narrowsWorkspaces: own.yarnClassic === true,
  };
}

/** An app that needs nothing but node (node:http and friends) installs no node_modules at all. */
function hasDependencies(root: string): boolean {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).length > 0;
}

/** A service compose brings, as README.Docker.md describes it. */
export interface BroughtService {
  label: string;
  service: Service;
  endpoint: { host: string; port: number; user: string; database: string | undefined };
  passwordFile: string;
  note: string | undefined;
  provenHere: boolean;
  /** The app's variables pointed at it, in secrets/app.env. */
  variables: readonly string[];
}

/**
 * What this generator's own files (README.Docker.md, the container test) say beyond the
 * container model: what was found, said as facts to print.
 */
export interface ExistingModel extends ContainerModel {
  /** Services the app connects to that neither the image nor compose brings. */
  neededServices: readonly { service: string; packages: readonly string[] }[];
  /** Secret variables with no example value, given a random one (generatedSecrets). */
  generatedSecrets: readonly string[];
  /** The services compose brings, each with the app's variables pointed at it. */
  brought: readonly BroughtService[];
  /** Every service the app talks to, brought or not: the container test runs the image without them. */
  servicesOutsideTest: readonly string[];
  /** The app's variables that point at a service compose brings: empty in the container test. */
  serviceVariables: readonly string[];
  /** Why the CMD differs from the start script, when it does. */
  startNote: string | undefined;
  /** The example env file compose's plain values were read from. */
  exampleFile: string | undefined;
  /** The build command on one line, for prose. */
  buildLine: string | undefined;
  /** Variables with no value in the example file that are not secrets: the user sets them. */
  unsetVariables: readonly string[];
  secretEnv: typeof SECRET_ENV;
  containerTest: ContainerTest;
  /** The package folder's way up to the build context (the monorepo root), or '.'. */
  contextFromPackage: string;
  /** Installs the container test's dependencies on the host: the lockfile's own manager, no scripts. */
  hostInstall: string;
}

export function existingModel(
  container: ContainerModel,
  findings: Findings,
  answers: ExistingAnswers,
  containerTest: ContainerTest,
): ExistingModel {
  const wired = wiredVariables(findings, answers);
  const secrets = new Set([...answers.secrets, ...wired.map((w) => w.name)]);
  const found = findings.start?.file === answers.start ? findings.start : undefined;
  return {
    ...container,
    servicesOutsideTest: findings.services.map((finding) => finding.service),
    serviceVariables: wired.map((w) => w.name),
    generatedSecrets: generatedSecrets(findings, answers),
    neededServices: findings.services.filter((finding) => !broughtBy(finding, answers.services)),
    brought: specsFor(answers.services).map((spec) => ({
      label: spec.label,
      service: spec.service,
      endpoint: { host: spec.endpoint.host, port: spec.endpoint.port, user: spec.endpoint.user, database: spec.endpoint.database },
      passwordFile: spec.passwordFile,
      note: spec.note,
      provenHere: spec.provenHere,
      variables: wired.filter((w) => w.kind === spec.kind).map((w) => w.name),
    })),
    startNote: found?.note,
    exampleFile: findings.exampleFile,
    buildLine: container.build?.command.replace(/ \\\n\s*/g, ' '),
    unsetVariables: findings.env.filter((v) => v.value === '' && !secrets.has(v.name)).map((v) => v.name),
    secretEnv: SECRET_ENV,
    containerTest,
    contextFromPackage: container.workspace?.root ?? '.',
    hostInstall: hostInstall(container.install),
  };
}

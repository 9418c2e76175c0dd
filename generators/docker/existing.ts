/**
 * An existing project in the container model's terms: what detection found, corrected by
 * the answers. The shared layer (templates/docker) renders the result like any other app.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildImageFor, runtimeImageFor, slugFor } from '../app/project.js';
import type { ExistingAnswers } from './command.js';
import type { Findings } from './detect/index.js';
import type { WorkspacePackage } from './detect/workspaces.js';
import { type ContainerModel, execForm, type Install, type WorkspaceImage } from './model.js';
import { installFor } from './package-managers.js';

/** Where compose mounts the env file of secrets; node reads it with --env-file-if-exists. */
export const SECRET_ENV = { name: 'app_env', file: 'secrets/app.env', target: '/run/secrets/app_env' } as const;

/** The preload that gives an app without a SIGTERM handler a clean stop, as the CMD loads it. */
export const GRACEFUL_STOP = './docker/graceful-stop.mjs';

/** A value as a YAML scalar: quoted, so `yes`, `0123` or `a: b` stay strings. */
const yamlScalar = (value: string) => JSON.stringify(value);

export function existingContainerModel(findings: Findings, answers: ExistingAnswers, workspace?: WorkspacePackage): ContainerModel {
  const distroless = answers.runtime === 'distroless';
  const buildImage = buildImageFor(answers.node);
  const runtimeImage = runtimeImageFor(answers.node, answers.runtime);
  // The base images' own unprivileged users: node (1000), distroless nonroot (65532).
  const appUid = distroless ? 65532 : 1000;
  const nodeBin = distroless ? '/nodejs/bin/node' : 'node';
  const spec = { name: answers.manager, version: answers.manager === findings.packageManager.name ? findings.packageManager.version : '' };
  const pinned = installFor(spec);
  const lockRoot = findings.workspaceRoot ?? findings.root;
  // Only the manager's config files the project has (a new project's pnpm-workspace.yaml is not one).
  const own = { ...pinned, configFiles: pinned.configFiles.filter((file) => existsSync(path.join(lockRoot, file))) };
  const install = workspace ? workspaceInstall(own, workspace) : own;
  const secrets = new Set(answers.secrets);
  // In a monorepo, the workspace packages it depends on are built first, each with its own build script.
  const builds = [
    ...(workspace?.internal ?? []).flatMap((dep) => (dep.buildScript ? [runIn(own, dep, dep.buildScript)] : [])),
    ...(answers.build === 'none' ? [] : [install.run(answers.build)]),
  ];
  const build =
    builds.length === 0
      ? undefined
      : { files: ['.'], dirs: [], script: answers.build, command: builds.join(' \\\n    && '), outputDir: answers.outdir };
  const image: WorkspaceImage | undefined = workspace && {
    dir: workspace.dir,
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

  // What the start command found says beyond its file holds only while that file is the one run.
  const found = findings.start?.file === answers.start ? findings.start : undefined;
  const nodeArgs = [...(found?.nodeArgs ?? [])];
  if (secrets.size > 0) nodeArgs.push(`--env-file-if-exists=${SECRET_ENV.target}`);
  // With a handler of the app's own, the preload only acts after it (and only if it ended nothing).
  // A handler that re-raises the signal runs first and undisturbed: the preload takes the second one.
  const { handlesSigterm, sigtermReraises } = findings.behaviour;
  const gracefulStop = answers.graceful ? { afterApp: handlesSigterm && !sigtermReraises, takesReraise: sigtermReraises } : undefined;
  if (gracefulStop) nodeArgs.push('--import', GRACEFUL_STOP);
  const startArgs = [...nodeArgs, answers.start, ...(found?.args ?? [])];

  const probe = answers.health === 'tcp' ? tcpProbe(answers.port) : httpProbe(answers.port, answers.health);
  const probeArgs = [distroless ? nodeBin : 'node', '-e', probe];

  const volume = answers.volume === 'none' ? undefined : path.posix.resolve(workspace ? `/app/${workspace.dir}` : '/app', answers.volume);
  return {
    existing: true,
    name: findings.name,
    slug: slugFor(findings.name),
    port: answers.port,
    node: answers.node,
    buildImage,
    runtimeImage,
    distroless,
    appUid,
    nodeBin,
    install,
    build,
    copyContext: true,
    productionDependencies: hasDependencies(findings.root),
    buildTools: answers.tools,
    // `npm pkg delete` edits the root's package.json, not a workspace package's.
    dropScripts: workspace ? [] : findings.lifecycle.map((l) => l.script),
    environment: findings.env.filter((v) => !secrets.has(v.name) && v.value !== '').map((v) => [v.name, yamlScalar(v.value)] as const),
    gracefulStop,
    imageEnv: Object.entries(found?.env ?? {}),
    start: execForm(distroless ? startArgs : ['node', ...startArgs]),
    healthCheck: {
      path: answers.health === 'tcp' ? undefined : answers.health,
      exec: execForm(probeArgs),
      composeTest: execForm(['CMD', ...probeArgs]),
    },
    dataDir: volume,
    secrets: secrets.size > 0 ? [{ ...SECRET_ENV, env: undefined }] : [],
    token: false,
    contextIgnores: [],
    metricsPort: undefined,
    dev: undefined,
    workspace: image,
  };
}

/** A script of one workspace package, run from the monorepo root. */
function runIn(install: Install, pkg: { dir: string; name: string }, script: string): string {
  if (install.packageManager === 'npm') return `npm run ${script} --workspace ${pkg.dir}`;
  if (install.packageManager === 'pnpm') return `pnpm --filter ${pkg.name} run ${script}`;
  return `yarn workspace ${pkg.name} run ${script}`;
}

/**
 * Installs for one workspace package: its dependencies and those of the workspace packages
 * it needs, none of the other packages'. Yarn 1 has no such filter (no `workspaces focus`):
 * the stage's copy of the root package.json lists only those workspaces instead, and Yarn 1's
 * --frozen-lockfile accepts a lockfile with entries left over, so it still installs exactly
 * the locked versions.
 */
function workspaceInstall(install: Install, pkg: WorkspacePackage): Install {
  const run = (script: string) => runIn(install, pkg, script);
  switch (install.packageManager) {
    case 'npm': {
      const only = `--workspace ${pkg.dir} --include-workspace-root=false`;
      return { ...install, run, all: `npm ci ${only} --no-audit --no-fund`, production: `npm ci ${only} --omit=dev --no-audit --no-fund` };
    }
    case 'pnpm':
      // `name...`: the package and everything it depends on, workspace packages included.
      return {
        ...install,
        run,
        all: `pnpm install --frozen-lockfile --filter ${pkg.name}...`,
        production: `pnpm install --frozen-lockfile --prod --filter ${pkg.name}...`,
      };
    default: {
      if (!install.yarnClassic) {
        return { ...install, run, all: `yarn workspaces focus ${pkg.name}`, production: `yarn workspaces focus ${pkg.name} --production` };
      }
      // An array even where the root has Yarn's { packages, nohoist } form, which npm refuses to edit.
      const dirs = JSON.stringify([...pkg.internal.map((dep) => dep.dir), pkg.dir]);
      const narrow = `npm pkg set --json 'workspaces=${dirs}' && `;
      return {
        ...install,
        run,
        all: narrow + install.all,
        production: narrow + install.production,
        notes: [
          ...(install.notes ?? []),
          `Yarn 1 has no \`workspaces focus\`: \`npm pkg set\` narrows this stage's copy of the root package.json to`,
          `the workspaces ${pkg.dir} needs, so the install takes none of the others' dependencies.`,
        ],
      };
    }
  }
}

/** An app that needs nothing but node (node:http and friends) installs no node_modules at all. */
function hasDependencies(root: string): boolean {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).length > 0;
}

/** GET the route with node's own fetch; any answer but 2xx, or none, fails the check. */
function httpProbe(port: number, route: string): string {
  return `fetch('http://127.0.0.1:${port}${route}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
}

/** Only whether something accepts connections on the port. */
function tcpProbe(port: number): string {
  return `require('node:net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
}

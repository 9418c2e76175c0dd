/**
 * An existing project in the container model's terms: what detection found, corrected by
 * the answers. The shared layer (templates/docker) renders the result like any other app.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildImageFor, runtimeImageFor, slugFor } from '../app/project.js';
import type { ExistingAnswers } from './command.js';
import type { Findings } from './detect/index.js';
import { type ContainerModel, execForm } from './model.js';
import { installFor } from './package-managers.js';

/** Where compose mounts the env file of secrets; node reads it with --env-file-if-exists. */
export const SECRET_ENV = { name: 'app_env', file: 'secrets/app.env', target: '/run/secrets/app_env' } as const;

/** The preload that gives an app without a SIGTERM handler a clean stop, as the CMD loads it. */
export const GRACEFUL_STOP = './docker/graceful-stop.mjs';

/** A value as a YAML scalar: quoted, so `yes`, `0123` or `a: b` stay strings. */
const yamlScalar = (value: string) => JSON.stringify(value);

export function existingContainerModel(findings: Findings, answers: ExistingAnswers): ContainerModel {
  const distroless = answers.runtime === 'distroless';
  const buildImage = buildImageFor(answers.node);
  const runtimeImage = runtimeImageFor(answers.node, answers.runtime);
  // The base images' own unprivileged users: node (1000), distroless nonroot (65532).
  const appUid = distroless ? 65532 : 1000;
  const nodeBin = distroless ? '/nodejs/bin/node' : 'node';
  const spec = { name: answers.manager, version: answers.manager === findings.packageManager.name ? findings.packageManager.version : '' };
  const pinned = installFor(spec);
  // Only the manager's config files the project has (a new project's pnpm-workspace.yaml is not one).
  const install = { ...pinned, configFiles: pinned.configFiles.filter((file) => existsSync(path.join(findings.root, file))) };
  const secrets = new Set(answers.secrets);
  const build =
    answers.build === 'none'
      ? undefined
      : { files: ['.'], dirs: [], script: answers.build, command: install.run(answers.build), outputDir: answers.outdir };

  const nodeArgs = [...(findings.start?.file === answers.start ? findings.start.nodeArgs : [])];
  if (secrets.size > 0) nodeArgs.push(`--env-file-if-exists=${SECRET_ENV.target}`);
  // With a handler of the app's own, the preload only acts after it (and only if it ended nothing).
  const gracefulStop = answers.graceful ? { afterApp: findings.behaviour.handlesSigterm } : undefined;
  if (gracefulStop) nodeArgs.push('--import', GRACEFUL_STOP);
  const startArgs = [...nodeArgs, answers.start];

  const probe = answers.health === 'tcp' ? tcpProbe(answers.port) : httpProbe(answers.port, answers.health);
  const probeArgs = [distroless ? nodeBin : 'node', '-e', probe];

  const volume = answers.volume === 'none' ? undefined : path.posix.resolve('/app', answers.volume);
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
    dropScripts: findings.lifecycle.map((l) => l.script),
    environment: findings.env.filter((v) => !secrets.has(v.name) && v.value !== '').map((v) => [v.name, yamlScalar(v.value)] as const),
    gracefulStop,
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
  };
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

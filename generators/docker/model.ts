/**
 * The container model: what the shared container layer (templates/docker) needs to know
 * about the Node.js app it containerizes, and nothing about how that app is written. Any
 * generator that can answer these questions about its app gets the Dockerfile,
 * .dockerignore, compose files with their secrets, and the container test support.
 */

import type { Install } from './package-managers.js';

export type { Install };

export interface Build {
  /** What the build stage copies besides the manifests: config files, and source folders. */
  files: readonly string[];
  dirs: readonly string[];
  /** The package.json script that builds, and the folder it writes. */
  script: string;
  command: string;
  outputDir: string;
}

export interface HealthCheck {
  /** The HTTP path that answers 200 once the app can serve; undefined: a TCP connect to the port. */
  path: string | undefined;
  /** Exec form of the probe, run inside the container (no shell, no curl needed). */
  exec: string;
  /** The same probe as compose's healthcheck test. */
  composeTest: string;
}

export interface Secret {
  /** Name in compose and swarm, and the file under /run/secrets. */
  name: string;
  /** Where the project keeps it (git-ignored), relative to the project root. */
  file: string;
  /** The variable that tells the app the secret's path; undefined when node reads the file itself (--env-file). */
  env: string | undefined;
  target: string;
}

export interface ContainerModel {
  /**
   * An app this package did not write (container-api:docker run in an existing project):
   * the image ships the app's own files as they are, and the comments say what was found
   * rather than what the generated API does.
   */
  existing: boolean;
  /** The package name, for comments. */
  name: string;
  /** Images, containers, volumes, compose and swarm projects are named after it. */
  slug: string;
  port: number;
  /** The Node.js line, the image every stage builds on and the one that ships. */
  node: string;
  buildImage: string;
  runtimeImage: string;
  /** A distroless runtime: no shell, no npm; its ENTRYPOINT is node. */
  distroless: boolean;
  /** Numeric user of the runtime image, and the node binary's path in it. */
  appUid: number;
  nodeBin: string;
  install: Install;
  /** The build step; undefined when the sources run as they are (plain JavaScript). */
  build: Build | undefined;
  /**
   * Whether the runtime stage copies the build context (the app's own files, .dockerignore
   * applied) besides the build output: an existing app may read views, config or assets at
   * run time that no build step names.
   */
  copyContext: boolean;
  /** Whether the app has runtime dependencies at all: with none, there is no node_modules to copy. */
  productionDependencies: boolean;
  /** python3, make and g++ in the install stages, for native addons that compile (never in the runtime). */
  buildTools: boolean;
  /** Lifecycle scripts of the app's package.json left out of the image's installs (husky in `prepare`). */
  dropScripts: readonly string[];
  /** Plain, non-secret environment entries for compose, values already YAML scalars. */
  environment: readonly (readonly [string, string])[];
  /**
   * docker/graceful-stop.mjs, loaded before the app (existing apps only); afterApp: the app
   * has a SIGTERM handler of its own, and the preload acts only after it. Undefined: not loaded.
   */
  gracefulStop?: { afterApp: boolean; takesReraise: boolean } | undefined;
  /**
   * Variables the runtime image sets beyond NODE_ENV, HOST and PORT, for a start command
   * whose defaults would not serve outside the container (fastify-cli's FASTIFY_ADDRESS).
   */
  imageEnv: readonly (readonly [string, string])[];
  /** Exec-form CMD that starts the app in the runtime image. */
  start: string;
  healthCheck: HealthCheck | undefined;
  /** The one writable directory, on a volume; undefined when the app keeps no data. */
  dataDir: string | undefined;
  secrets: readonly Secret[];
  /** Whether the app's bearer token is among the secrets (the container tests use it). */
  token: boolean;
  /**
   * Paths of the app's own that describe how it is deployed or taught, not what runs
   * (Kubernetes manifests, workshop exercises with build contexts of their own):
   * .dockerignore keeps them out of the build context.
   */
  contextIgnores: readonly string[];
  /** A port the app serves metrics on, exposed but not published; undefined when none. */
  metricsPort: number | undefined;
  /**
   * One package of a monorepo: the build context is the monorepo root (the lockfile is
   * there) and the image gets only this package and the workspace packages it depends on.
   * Undefined for a project that installs on its own.
   */
  workspace: WorkspaceImage | undefined;
  /** The development stage (`--target dev`): exec-form command and inspector port; or none. */
  dev: { command: string; inspectPort: number } | undefined;
}

export interface WorkspaceImage {
  /** The package folder, relative to the monorepo root: the image's working directory under /app. */
  dir: string;
  /** Workspace package.json files the install reads, besides the root's. */
  manifests: readonly string[];
  /** Package folders the image ships: the internal dependencies first, then the package. */
  dirs: readonly string[];
  /** Folders the build stage writes, relative to the root, that the image ships. */
  outputs: readonly string[];
  /** Yarn 1 (no `workspaces focus`): the install stages narrow their copy of the root package.json's workspaces. */
  narrowsWorkspaces: boolean;
}

/** `["node", "dist/server.js"]`: the exec form Dockerfile and compose both accept. */
export function execForm(args: readonly string[]): string {
  return `[${args.map((arg) => JSON.stringify(arg)).join(', ')}]`;
}

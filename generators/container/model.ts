/**
 * The container model: what the shared container layer (templates/container) needs to know
 * about the Node.js app it containerizes, and nothing about how that app is written or which
 * generator found it out. Any generator that can answer these questions about its app gets
 * the Dockerfile, .dockerignore and compose.yaml, with their secrets, volume and services.
 * The templates read only this: every choice and every string they print is made here.
 */

import { type NodeLine, type Runtime, buildImageFor, runtimeImageFor, runtimeUserFor, slugFor } from './node.js';
import type { Install } from './package-managers.js';

export type { Install };

export interface Build {
  /** The build stage's heading comment (see stageHeading). */
  heading: string;
  /** What the build stage copies besides the manifests: config files, and source folders. */
  files: readonly string[];
  dirs: readonly string[];
  /** Whether it copies the whole context (a build that may read any config file it likes). */
  wholeContext: boolean;
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
  /** An env file node loads itself: the variables it holds. */
  variables?: readonly string[] | undefined;
}

/**
 * How the app meets `docker stop`'s SIGTERM, as far as anyone knows: what the Dockerfile and
 * compose say about the stop, and whether the graceful-stop preload is loaded.
 */
export interface StopBehaviour {
  /** The app drains requests in flight and exits 0 within a shutdown timeout of its own. */
  drains: boolean;
  /** It installs a SIGTERM handler, and that handler ends nothing (no exit, close or shutdown). */
  handler: boolean;
  handlerEndsNothing: boolean;
  /**
   * docker/graceful-stop.mjs, loaded before the app; afterApp: the app has a SIGTERM handler of
   * its own, and the preload acts only after it; takesReraise: the app's handler re-raises the
   * signal and the preload takes the second one. Undefined: not loaded.
   */
  preload: { afterApp: boolean; takesReraise: boolean } | undefined;
}

/**
 * A service the app needs beside it (a database, a cache), run by compose. Each kind has one
 * compose fragment, `templates/container/services/<kind>.yaml`, which compose.yaml includes;
 * the fragment reads only this object.
 */
export interface Service {
  /** The compose service name, and its host name on the app's network. */
  name: string;
  /** The fragment that writes it: a path relative to templates/container, or an absolute one. */
  fragment: string;
  /** The image, spelled out so that Renovate can read it. */
  image: string;
  /** What the app waits for before it starts: the service healthy, or only started. */
  condition: 'service_healthy' | 'service_started';
  /** Its secrets, declared at the top level with the app's own. */
  secrets: readonly Secret[];
  /** Its named volume, if it keeps data. */
  volume: string | undefined;
  /**
   * An internal network (no route out) that only it and the app join; undefined: the
   * project's default network.
   */
  network?: string | undefined;
  /** Variables the service's image sets itself up from, values already YAML scalars; read by fragments that print them as they are. */
  environment?: readonly (readonly [string, string])[];
}

/** The password file both the database and the app read: one secret, mounted in each. */
export const DB_PASSWORD_SECRET: Secret = {
  name: 'db_password',
  file: 'secrets/db_password',
  env: 'DATABASE_PASSWORD_FILE',
  target: '/run/secrets/db_password',
};

/**
 * PostgreSQL on the official image, which sets itself up from POSTGRES_* variables on its
 * first start; its data on a named volume, reachable only from the app.
 */
export function postgresService(): Service {
  return {
    name: 'db',
    fragment: 'services/postgres.yaml',
    image: 'postgres:17',
    condition: 'service_healthy',
    secrets: [DB_PASSWORD_SECRET],
    volume: 'db-data',
    network: 'db',
  };
}

export interface ContainerModel {
  /** The package name, for comments. */
  name: string;
  /** Images, containers, volumes, compose and swarm projects are named after it. */
  slug: string;
  port: number;
  /** The Node.js line, the image every stage builds on and the one that ships. */
  node: NodeLine;
  runtime: Runtime;
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
  /** The dependencies that may compile on install, for the toolchain stage's comment. */
  nativeAddons: readonly string[];
  /** Binary downloads the install stages skip (Cypress's app), each by the variable its package reads. */
  skipDownloads: readonly { pkg: string; variable: string; value: string }[];
  /** Lifecycle scripts of the app's package.json left out of the image's installs (husky in `prepare`). */
  dropScripts: readonly string[];
  /** The app's files its kept lifecycle scripts run (`node ./postinstall.js`), copied in beside the manifests. */
  hookFiles: readonly string[];
  /** Plain, non-secret environment entries for compose, values already YAML scalars. */
  environment: readonly (readonly [string, string])[];
  stop: StopBehaviour;
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
  /** The same directory relative to /app (`data`), when it is inside it: the build context's path for it. */
  dataDirInApp: string | undefined;
  /** The URL path `curl` asks in compose.yaml's first lines. */
  smokePath: string;
  secrets: readonly Secret[];
  /** The variables of the env-file secrets, which node loads itself. */
  secretVariables: readonly string[];
  /** Services compose runs beside the app, one fragment each. */
  services: readonly Service[];
  /** compose.yaml's top-level secrets and named volumes: the app's and its services'. */
  composeSecrets: readonly Secret[];
  composeVolumes: readonly string[];
  /** The internal networks the app shares with its services (it also keeps the default one). */
  composeNetworks: readonly string[];
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
  /** The monorepo root, relative to the package folder (`../..`): compose's build context. */
  root: string;
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

/** `# ---- build: compile TypeScript to dist/ ------…`: a stage's heading, ruled to the width of the others. */
export function stageHeading(stage: string, summary: string): string {
  const text = `# ---- ${stage}: ${summary} `;
  return text + '-'.repeat(Math.max(3, 93 - text.length));
}

/** What a generator says about its app; containerModel derives everything else from it. */
export type ContainerFacts = Omit<
  ContainerModel,
  | 'slug'
  | 'buildImage'
  | 'runtimeImage'
  | 'distroless'
  | 'appUid'
  | 'nodeBin'
  | 'dataDirInApp'
  | 'smokePath'
  | 'secretVariables'
  | 'composeSecrets'
  | 'composeVolumes'
  | 'composeNetworks'
>;

/** The app's folder in every image. */
export const APP_DIR = '/app';

/** The whole container model: the facts a generator gives, and what follows from them. */
export function containerModel(facts: ContainerFacts): ContainerModel {
  const { dataDir, secrets, services } = facts;
  const inApp = dataDir?.startsWith(`${APP_DIR}/`) ? dataDir.slice(APP_DIR.length + 1) : undefined;
  return {
    ...facts,
    slug: slugFor(facts.name),
    buildImage: buildImageFor(facts.node),
    runtimeImage: runtimeImageFor(facts.node, facts.runtime),
    distroless: facts.runtime === 'distroless',
    ...runtimeUserFor(facts.runtime),
    dataDirInApp: inApp,
    smokePath: facts.healthCheck?.path ?? '/',
    secretVariables: secrets.flatMap((secret) => secret.variables ?? []),
    // A secret the app and a service both mount (a database password) is declared once.
    composeSecrets: uniqueBy([...secrets, ...services.flatMap((service) => service.secrets)], (secret) => secret.name),
    composeVolumes: [...(dataDir ? ['data'] : []), ...services.flatMap((service) => (service.volume ? [service.volume] : []))],
    composeNetworks: [...new Set(services.flatMap((service) => (service.network ? [service.network] : [])))],
  };
}

function uniqueBy<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((value) => !seen.has(key(value)) && seen.add(key(value)));
}

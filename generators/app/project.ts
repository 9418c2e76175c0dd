/**
 * The project model: the answers a user gives, and everything the templates derive from
 * them. Templates read only this object, so a choice is made in one place.
 */

export const NODE_LINES = ['22', '24', '26'] as const;
export const RUNTIMES = ['slim', 'distroless'] as const;
export const PERSISTENCE = ['sqlite', 'none'] as const;
export const AUTH = ['token', 'none'] as const;
export const CI_PROVIDERS = ['github', 'gitlab', 'none'] as const;
export { PACKAGE_MANAGERS } from '../docker/package-managers.js';

export type NodeLine = (typeof NODE_LINES)[number];
export type Runtime = (typeof RUNTIMES)[number];
export type Persistence = (typeof PERSISTENCE)[number];
export type Auth = (typeof AUTH)[number];
export type CiProvider = (typeof CI_PROVIDERS)[number];

import { type Install, type PackageManagerName, pinnedInstall } from '../docker/package-managers.js';

export type { PackageManagerName };

/** What the user chooses: one field per prompt and per flag. */
export interface Answers {
  name: string;
  description: string;
  port: number;
  node: NodeLine;
  runtime: Runtime;
  persistence: Persistence;
  auth: Auth;
  ci: CiProvider;
  workshop: boolean;
  k8s: boolean;
  /** Spelled as its flag (`--package-manager`) and its .yo-rc.json key. */
  'package-manager': PackageManagerName;
}

/** The chosen package manager, its commands spelled out, so templates only print them. */
export interface PackageManagerModel {
  name: PackageManagerName;
  /** package.json `packageManager` (e.g. `pnpm@12.4.2`); undefined for npm. */
  field: string | undefined;
  lockfile: string;
  /** Installs from package.json and updates the lockfile: what a developer runs after a clone. */
  install: string;
  /** Installs exactly the lockfile and fails if it would change: what CI runs. */
  ci: string;
  /** Installs the manager itself at the pinned version with npm (CI); undefined for npm. */
  installGlobal: string | undefined;
  /** The same, production dependencies only. */
  ciProduction: string;
  /** `npm test`, `pnpm test`, `yarn test`. */
  test: string;
  /** The command that runs a package.json script, e.g. `pnpm run build`. */
  run: (script: string) => string;
  /** Runs a binary of the project's dependencies, e.g. `pnpm exec tsc`. */
  exec: (bin: string) => string;
  /** Adds a runtime dependency / a dev dependency, e.g. `pnpm add -D`. */
  add: string;
  addDev: string;
  /** The files the install reads, for prose: "`package.json` or `package-lock.json`". */
  manifests: string;
  /** A regular expression literal for the manager's own files: none may be in the runtime image. */
  leftovers: string;
  /** The install's cache mount target and production install, escaped for a regular expression literal. */
  cachePattern: string;
  productionPattern: string;
}

/** What a package manager means for the generated project, from the container layer's install. */
export function packageManagerModel(install: Install): PackageManagerModel {
  const name = install.packageManager;
  const npm = name === 'npm';
  // The manager itself, installed globally in the build stages only, and its caches and credentials.
  const leftovers: Record<PackageManagerName, string> = {
    npm: String.raw`/(^|\/)(\.npm|_cacache)(\/|$)|(^|\/)\.npmrc$/`,
    pnpm: String.raw`/(^|\/)(\.npm|_cacache|\.pnpm-store|\.local\/share\/pnpm|\.cache\/pnpm)(\/|$)|(^|\/)\.npmrc$|^usr\/local\/lib\/node_modules\/pnpm(\/|$)/`,
    yarn: String.raw`/(^|\/)(\.npm|\.yarn|\.cache\/yarn)(\/|$)|(^|\/)\.yarnrc(\.yml)?$|^usr\/local\/lib\/node_modules\/(yarn|@yarnpkg)(\/|$)/`,
  };
  /** A path as it appears inside a regular expression literal. */
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return {
    name,
    field: install.packageManagerField,
    lockfile: install.lockfile,
    install: `${name} install`,
    ci: npm ? 'npm ci' : install.all,
    ciProduction: npm ? 'npm ci --omit=dev' : install.production,
    test: `${name} test`,
    installGlobal: install.globalPackage ? `npm install --global ${install.globalPackage}` : undefined,
    run: install.run,
    exec: install.exec,
    add: npm ? 'npm install' : `${name} add`,
    addDev: npm ? 'npm install --save-dev' : `${name} add -D`,
    leftovers: leftovers[name],
    manifests: new Intl.ListFormat('en', { type: 'disjunction' }).format(
      ['package.json', install.lockfile, ...install.configFiles].map((file) => `\`${file}\``),
    ),
    cachePattern: literal(install.cache),
    productionPattern: literal(install.production),
  };
}

/** What the templates render from: the answers plus values derived from them. */
export interface ProjectModel extends Answers {
  /** One flag per choice a template branches on, so no template compares strings. */
  sqlite: boolean;
  token: boolean;
  distroless: boolean;
  /** Which CI the project gets: GitHub Actions (.github/) or GitLab CI (.gitlab-ci.yml). */
  githubCi: boolean;
  gitlabCi: boolean;
  /** `engines.node` range: Node 22 needs 22.18+ to run TypeScript sources directly. */
  engines: string;
  /** The image every stage builds on, and the one the app runs on. */
  buildImage: string;
  runtimeImage: string;
  /** Numeric user the runtime image runs as (the base image's own non-root user). */
  appUid: number;
  /** The node binary inside the runtime image: distroless has no shell to find it on PATH. */
  nodeBin: string;
  /**
   * The one name for images, containers, volumes, compose and swarm projects and Kubernetes
   * objects made from this project (see `slugFor`).
   */
  slug: string;
  /** How long the server lets requests in flight finish after SIGTERM (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** Kubernetes: how long a pod keeps serving after it is marked for removal, before SIGTERM. */
  preStopSeconds: number;
  /** The port GET /metrics is served on (METRICS_PORT's default), never published. */
  metricsPort: number;
  signing: Signing;
  /** One flag per package manager, and the chosen one's commands. */
  npm: boolean;
  pnpm: boolean;
  yarn: boolean;
  install: Install;
  pm: PackageManagerModel;
}

/** Who signs the published image, for `cosign verify` and admission policies to pin. */
export interface Signing {
  /** The image as the CI publishes it, with placeholders for the owner. */
  image: string;
  /** The OIDC issuer of the CI's signing certificate. */
  issuer: string;
  /** A regular expression for the certificate's identity: this CI, from main or a v* tag. */
  identity: string;
}

function signingFor(ci: Answers['ci'], slug: string): Signing {
  if (ci === 'github') {
    return {
      image: `ghcr.io/<owner>/${slug}`,
      issuer: 'https://token.actions.githubusercontent.com',
      identity: '^https://github\\.com/<owner>/<repo>/\\.github/workflows/ci\\.yml@refs/(heads/main|tags/v.+)$',
    };
  }
  if (ci === 'gitlab') {
    return {
      image: 'registry.gitlab.com/<group>/<project>',
      issuer: 'https://gitlab.com',
      identity: '^https://gitlab\\.com/<group>/<project>//\\.gitlab-ci\\.yml@refs/(heads/main|tags/v.+)$',
    };
  }
  return { image: `registry.example.com/<team>/${slug}`, issuer: "<your CI's OIDC issuer>", identity: '<the identity your CI signs as>' };
}

export function buildImageFor(node: NodeLine): string {
  return `node:${node}-bookworm-slim`;
}

export function runtimeImageFor(node: NodeLine, runtime: Runtime): string {
  return runtime === 'distroless' ? `gcr.io/distroless/nodejs${node}-debian12:nonroot` : buildImageFor(node);
}

/**
 * "@acme/orders.api" → "orders-api": the package name without its scope, with anything but
 * lowercase letters, digits and "-" made a "-", trimmed, at most 50 characters. Valid at
 * once as an image name, a volume, a compose project and a Kubernetes object name (a DNS
 * label, which leaves room for suffixes such as "-api-token").
 */
export function slugFor(name: string): string {
  const slug = name
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/g, '');
  return slug || 'api';
}

export const SHUTDOWN_TIMEOUT_MS = 8000;

export function toProjectModel(answers: Answers): ProjectModel {
  const install = pinnedInstall(answers['package-manager']);
  const distroless = answers.runtime === 'distroless';
  return {
    ...answers,
    sqlite: answers.persistence === 'sqlite',
    token: answers.auth === 'token',
    distroless,
    githubCi: answers.ci === 'github',
    gitlabCi: answers.ci === 'gitlab',
    engines: answers.node === '22' ? '>=22.18' : `>=${answers.node}`,
    buildImage: buildImageFor(answers.node),
    runtimeImage: runtimeImageFor(answers.node, answers.runtime),
    appUid: distroless ? 65532 : 1000,
    nodeBin: distroless ? '/nodejs/bin/node' : 'node',
    slug: slugFor(answers.name),
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    preStopSeconds: 5,
    metricsPort: 9464,
    signing: signingFor(answers.ci, slugFor(answers.name)),
    npm: answers['package-manager'] === 'npm',
    pnpm: answers['package-manager'] === 'pnpm',
    yarn: answers['package-manager'] === 'yarn',
    install,
    pm: packageManagerModel(install),
  };
}

/**
 * The project model: the answers a user gives, and everything the templates derive from
 * them. Templates read only this object, so a choice is made in one place.
 */

export const PERSISTENCE = ['sqlite', 'postgres', 'none'] as const;
export const AUTH = ['token', 'none'] as const;
export const CI_PROVIDERS = ['github', 'gitlab', 'none'] as const;

export type Persistence = (typeof PERSISTENCE)[number];
export type Auth = (typeof AUTH)[number];
export type CiProvider = (typeof CI_PROVIDERS)[number];

import { buildImageFor, type NodeLine, type Runtime, runtimeImageFor, runtimeUserFor, slugFor } from '../container/node.js';
import {
  type Install,
  type PackageManagerModel,
  type PackageManagerName,
  packageManagerModel,
  pinnedInstall,
} from '../container/package-managers.js';

export type { NodeLine, PackageManagerName, PackageManagerModel, Runtime };

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

/** What the templates render from: the answers plus values derived from them. */
export interface ProjectModel extends Answers {
  /** What to type to make this project again: the create command with its non-default flags. */
  createCommand: string;
  /** One flag per choice a template branches on, so no template compares strings. */
  sqlite: boolean;
  postgres: boolean;
  /** The store keeps data through restarts (SQLite, PostgreSQL), and so can be busy, full or unreachable. */
  durable: boolean;
  /**
   * The API keeps no state of its own (in memory it keeps nothing, on PostgreSQL the
   * database keeps it): any number of replicas, an autoscaler and a disruption budget.
   * SQLite pins it to one writer on one volume.
   */
  scalable: boolean;
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
  /** Where the SQLite database lives in the container, on the data volume; undefined in memory. */
  dataDir: string | undefined;
  signing: Signing;
  /** With --k8s: the Secrets the root kustomization makes from files under secrets/ (token first). */
  kubeSecrets: KubeSecret[];
  /** What the root kustomization adds to k8s/, as prose: "the image, the token and the database password". */
  kubeInputs: string;
  /** One flag per package manager, and the chosen one's commands. */
  npm: boolean;
  pnpm: boolean;
  yarn: boolean;
  install: Install;
  pm: PackageManagerModel;
}

/** A Secret of the Kubernetes manifests: made from one file, which compose reads too. */
export interface KubeSecret {
  /** The Secret's name before kustomize appends its content hash. */
  name: string;
  /** Its one key, and the file name the pod sees under /run/secrets. */
  key: string;
  /** The file under the project root it is made from. */
  file: string;
  /** What it holds, for comments and docs. */
  what: string;
  /** Its key in a secret store, and the sealed file's name, in the examples. */
  storeKey: string;
}

function kubeSecretsFor(answers: Answers, slug: string): KubeSecret[] {
  return [
    ...(answers.auth === 'token'
      ? [{ name: `${slug}-api-token`, key: 'api_token', file: 'secrets/api_token', what: 'token', storeKey: 'api-token' }]
      : []),
    ...(answers.persistence === 'postgres'
      ? [
          {
            name: `${slug}-db-password`,
            key: 'db_password',
            file: 'secrets/db_password',
            what: 'database password',
            storeKey: 'db-password',
          },
        ]
      : []),
  ];
}

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
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

export const SHUTDOWN_TIMEOUT_MS = 8000;
/** GET /metrics is served here (METRICS_PORT's default), never published. */
export const METRICS_PORT = 9464;
/** The dev container's Node.js inspector, published on the host's loopback only. */
export const INSPECT_PORT = 9229;

/** `pnpmVersion`: the pnpm a pnpm project pins (pnpmToPin); the known one by default. */
/**
 * The model every template of the project reads. `createCommand` is the command that makes this
 * project again (command.ts's createCommandFor, which reads the question table).
 */
export function toProjectModel(answers: Answers, createCommand: string, pnpmVersion?: string): ProjectModel {
  const install = pinnedInstall(answers['package-manager'], pnpmVersion);
  const distroless = answers.runtime === 'distroless';
  return {
    ...answers,
    sqlite: answers.persistence === 'sqlite',
    postgres: answers.persistence === 'postgres',
    durable: answers.persistence !== 'none',
    scalable: answers.persistence !== 'sqlite',
    token: answers.auth === 'token',
    distroless,
    githubCi: answers.ci === 'github',
    gitlabCi: answers.ci === 'gitlab',
    engines: answers.node === '22' ? '>=22.18' : `>=${answers.node}`,
    buildImage: buildImageFor(answers.node),
    runtimeImage: runtimeImageFor(answers.node, answers.runtime),
    ...runtimeUserFor(answers.runtime),
    slug: slugFor(answers.name),
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    preStopSeconds: 5,
    metricsPort: METRICS_PORT,
    dataDir: answers.persistence === 'sqlite' ? '/app/data' : undefined,
    signing: signingFor(answers.ci, slugFor(answers.name)),
    kubeSecrets: kubeSecretsFor(answers, slugFor(answers.name)),
    kubeInputs: listed(['the image', ...kubeSecretsFor(answers, slugFor(answers.name)).map((secret) => `the ${secret.what}`)]),
    npm: answers['package-manager'] === 'npm',
    pnpm: answers['package-manager'] === 'pnpm',
    yarn: answers['package-manager'] === 'yarn',
    install,
    pm: packageManagerModel(install),
    createCommand,
  };
}

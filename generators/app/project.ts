/**
 * The project model: the answers a user gives, and everything the templates derive from
 * them. Templates read only this object, so a choice is made in one place.
 */

export const NODE_LINES = ['22', '24', '26'] as const;
export const RUNTIMES = ['slim', 'distroless'] as const;
export const PERSISTENCE = ['sqlite', 'none'] as const;
export const AUTH = ['token', 'none'] as const;
export const CI_PROVIDERS = ['github', 'gitlab', 'none'] as const;

export type NodeLine = (typeof NODE_LINES)[number];
export type Runtime = (typeof RUNTIMES)[number];
export type Persistence = (typeof PERSISTENCE)[number];
export type Auth = (typeof AUTH)[number];
export type CiProvider = (typeof CI_PROVIDERS)[number];

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
}

/** What the templates render from: the answers plus values derived from them. */
export interface ProjectModel extends Answers {
  /** `engines.node` range: Node 22 needs 22.18+ to run TypeScript sources directly. */
  engines: string;
  /** The image every stage builds on, and the one the app runs on. */
  buildImage: string;
  runtimeImage: string;
  /** Numeric user the runtime image runs as (the base image's own non-root user). */
  appUid: number;
  /** Name used for images, containers and volumes made from this project. */
  imageName: string;
  /** Which CI the project gets: GitHub Actions (.github/) or GitLab CI (.gitlab-ci.yml). */
  githubCi: boolean;
  gitlabCi: boolean;
}

export function buildImageFor(node: NodeLine): string {
  return `node:${node}-bookworm-slim`;
}

export function runtimeImageFor(node: NodeLine, runtime: Runtime): string {
  return runtime === 'distroless'
    ? `gcr.io/distroless/nodejs${node}-debian12:nonroot`
    : buildImageFor(node);
}

export function toProjectModel(answers: Answers): ProjectModel {
  return {
    ...answers,
    engines: answers.node === '22' ? '>=22.18' : `>=${answers.node}`,
    buildImage: buildImageFor(answers.node),
    runtimeImage: runtimeImageFor(answers.node, answers.runtime),
    appUid: answers.runtime === 'distroless' ? 65532 : 1000,
    // An npm scope ("@acme/api") is not a valid image name; keep its last part.
    imageName: answers.name.replace(/^@[^/]+\//, ''),
    githubCi: answers.ci === 'github',
    gitlabCi: answers.ci === 'gitlab',
  };
}

/**
 * How the generated API is containerized, said in the container model's terms: the shared
 * layer (generators/container, templates/container) knows nothing else about this app.
 */
import { healthCheckOf } from '../container/health.js';
import { type ContainerModel, containerModel, DB_PASSWORD_SECRET, execForm, postgresService, stageHeading } from '../container/model.js';
import { INSPECT_PORT, type ProjectModel } from './project.js';

/** The api's side of compose's db service (templates/container/services/postgres.yaml). */
const DATABASE_ENVIRONMENT: readonly (readonly [string, string])[] = [
  ['DATABASE_HOST', 'db'],
  ['DATABASE_USER', 'app'],
  ['DATABASE_NAME', 'app'],
];

export function toContainerModel(project: ProjectModel): ContainerModel {
  // The distroless image's ENTRYPOINT is node itself: CMD holds only its arguments.
  const server = 'dist/server.js';
  return containerModel({
    name: project.name,
    port: project.port,
    node: project.node,
    runtime: project.runtime,
    install: project.install,
    build: {
      heading: stageHeading('build', 'compile TypeScript to dist/'),
      files: ['tsconfig.json', 'tsconfig.build.json'],
      dirs: ['src'],
      wholeContext: false,
      script: 'build',
      command: project.pm.run('build'),
      outputDir: 'dist',
    },
    copyContext: false,
    productionDependencies: true,
    buildTools: false,
    nativeAddons: [],
    skipDownloads: [],
    dropScripts: [],
    hookFiles: [],
    // Where the database is; its password comes from the secret file, never from here.
    environment: [['LOG_LEVEL', 'info'], ...(project.postgres ? DATABASE_ENVIRONMENT : [])],
    start: execForm(project.distroless ? [server] : ['node', server]),
    // The server's own shutdown (src/shutdown.ts): drain, close the database, exit 0.
    stop: { drains: true, handler: true, handlerEndsNothing: false, preload: undefined },
    // A script of the API's own (src/healthcheck.ts): the same readiness the route reports.
    healthCheck: healthCheckOf('/health/ready', [project.nodeBin, 'dist/healthcheck.js']),
    dataDir: project.dataDir,
    secrets: [
      ...(project.token ? [{ name: 'api_token', file: 'secrets/api_token', env: 'API_TOKEN_FILE', target: '/run/secrets/api_token' }] : []),
      ...(project.postgres ? [DB_PASSWORD_SECRET] : []),
    ],
    services: project.postgres ? [postgresService()] : [],
    metricsPort: project.metricsPort,
    dev: { command: execForm(['node', `--inspect=0.0.0.0:${INSPECT_PORT}`, 'src/server.ts']), inspectPort: INSPECT_PORT },
    contextIgnores: [...(project.k8s ? ['kustomization.yaml', 'k8s/'] : []), ...(project.workshop ? ['workshop/'] : [])],
    workspace: undefined,
    imageEnv: [],
  });
}

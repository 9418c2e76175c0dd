/**
 * How the generated API is containerized, said in the container model's terms: the shared
 * layer (generators/docker, templates/docker) knows nothing else about this app.
 */
import { type ContainerModel, execForm } from '../docker/model.js';
import type { ProjectModel } from './project.js';

export function toContainerModel(project: ProjectModel): ContainerModel {
  // The distroless image's ENTRYPOINT is node itself: CMD holds only its arguments.
  const server = 'dist/server.js';
  const probe = [project.nodeBin, 'dist/healthcheck.js'];
  return {
    existing: false,
    name: project.name,
    slug: project.slug,
    port: project.port,
    node: project.node,
    buildImage: project.buildImage,
    runtimeImage: project.runtimeImage,
    distroless: project.distroless,
    appUid: project.appUid,
    nodeBin: project.nodeBin,
    install: project.install,
    build: {
      files: ['tsconfig.json', 'tsconfig.build.json'],
      dirs: ['src'],
      script: 'build',
      command: project.pm.run('build'),
      outputDir: 'dist',
    },
    copyContext: false,
    productionDependencies: true,
    buildTools: false,
    dropScripts: [],
    environment: [['LOG_LEVEL', 'info']],
    start: execForm(project.distroless ? [server] : ['node', server]),
    healthCheck: {
      path: '/health/ready',
      exec: execForm(probe),
      composeTest: execForm(['CMD', ...probe]),
    },
    dataDir: project.sqlite ? '/app/data' : undefined,
    secrets: project.token
      ? [{ name: 'api_token', file: 'secrets/api_token', env: 'API_TOKEN_FILE', target: '/run/secrets/api_token' }]
      : [],
    token: project.token,
    metricsPort: project.metricsPort,
    dev: { command: execForm(['node', '--inspect=0.0.0.0:9229', 'src/server.ts']), inspectPort: 9229 },
    contextIgnores: [...(project.k8s ? ['kustomization.yaml', 'k8s/'] : []), ...(project.workshop ? ['workshop/'] : [])],
    workspace: undefined,
    imageEnv: [],
  };
}

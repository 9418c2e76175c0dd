/**
 * The container core on its own: a ContainerModel in, the shared layer's files out, with
 * nothing of either generator. The services list is proven with a fragment of the test's own
 * (test/fixtures/services/cache.yaml): compose.yaml includes one fragment per service, makes
 * the app wait for it, and declares its volume and secret beside the app's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { parse } from 'yaml';
import { FILE_RULES } from '../../generators/container/files.js';
import { type ContainerFacts, containerModel, execForm, type Service, stageHeading } from '../../generators/container/model.js';
import { pinnedInstall } from '../../generators/container/package-managers.js';
import { selectTemplates } from '../../generators/lib/files.js';
import { templateRoot } from '../../generators/lib/paths.js';
import { REPO_ROOT } from '../support/paths.js';

const facts: ContainerFacts = {
  name: '@acme/orders',
  port: 8080,
  node: '24',
  runtime: 'distroless',
  install: pinnedInstall('npm'),
  build: {
    heading: stageHeading('build', 'compile to dist/'),
    files: ['tsconfig.json'],
    dirs: ['src'],
    wholeContext: false,
    script: 'build',
    command: 'npm run build',
    outputDir: 'dist',
  },
  copyContext: false,
  productionDependencies: true,
  buildTools: false,
  nativeAddons: [],
  skipDownloads: [],
  dropScripts: [],
  hookFiles: [],
  environment: [],
  imageEnv: [],
  start: execForm(['dist/server.js']),
  stop: { drains: true, handler: true, handlerEndsNothing: false, preload: undefined },
  healthCheck: undefined,
  dataDir: '/app/var/data',
  secrets: [{ name: 'api_token', file: 'secrets/api_token', env: 'API_TOKEN_FILE', target: '/run/secrets/api_token' }],
  services: [],
  contextIgnores: [],
  metricsPort: undefined,
  workspace: undefined,
  dev: undefined,
};

const cache: Service = {
  name: 'cache',
  fragment: path.join(REPO_ROOT, 'test/fixtures/services/cache.yaml'),
  image: 'redis:7',
  condition: 'service_healthy',
  secrets: [{ name: 'cache_password', file: 'secrets/cache_password', env: undefined, target: '/run/secrets/cache_password' }],
  volume: 'cache-data',
};

function render(template: string, model: object): string {
  const file = path.join(templateRoot('container'), template);
  return ejs.render(readFileSync(file, 'utf8'), model, { filename: file });
}

describe('containerModel', () => {
  it('derives what every generator would otherwise compute: images, user, node binary, slug, paths, compose lists', () => {
    const model = containerModel(facts);
    expect(model).toMatchObject({
      slug: 'orders',
      buildImage: 'node:24-bookworm-slim',
      runtimeImage: 'gcr.io/distroless/nodejs24-debian12:nonroot',
      distroless: true,
      appUid: 65532,
      nodeBin: '/nodejs/bin/node',
      dataDirInApp: 'var/data',
      smokePath: '/',
      composeVolumes: ['data'],
    });
    expect(model.composeSecrets.map((s) => s.name)).toEqual(['api_token']);
  });
});

describe('the shared layer, rendered from the model alone', () => {
  it('gets the Dockerfile, .dockerignore and compose.yaml, and never a fragment on its own', () => {
    expect(selectTemplates(templateRoot('container'), FILE_RULES, containerModel(facts))).toEqual([
      'Dockerfile',
      '_dockerignore',
      'compose.yaml',
    ]);
  });

  it('compose.yaml includes one fragment per service, waits for it, and declares its volume and secret', () => {
    const compose = parse(render('compose.yaml', containerModel({ ...facts, services: [cache] })));
    expect(compose.services.cache).toEqual({ image: 'redis:7', volumes: ['cache-data:/data'], secrets: ['cache_password'] });
    expect(compose.services.api.depends_on).toEqual({ cache: { condition: 'service_healthy' } });
    expect(Object.keys(compose.volumes)).toEqual(['data', 'cache-data']);
    expect(Object.keys(compose.secrets)).toEqual(['api_token', 'cache_password']);
  });

  it('with no services, compose.yaml has no depends_on and only the app’s own volume and secret', () => {
    const compose = parse(render('compose.yaml', containerModel(facts)));
    expect(Object.keys(compose.services)).toEqual(['api']);
    expect(compose.services.api.depends_on).toBeUndefined();
    expect(compose.services.api.volumes).toEqual(['data:/app/var/data']);
  });

  it('the Dockerfile copies the data folder by its path in the app, and says how the app stops', () => {
    const dockerfile = render('Dockerfile', containerModel(facts));
    expect(dockerfile).toContain('COPY --from=prod-deps --chown=65532:65532 /data ./var/data');
    expect(dockerfile).toContain('# ---- build: compile to dist/ ---');
    expect(dockerfile).toContain('The server handles SIGTERM/SIGINT');
  });
});

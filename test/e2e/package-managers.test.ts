/**
 * The shared container layer with Yarn classic, the shape existing projects pin and new ones
 * never get: a two-package app with a Yarn 1 lockfile, the real templates/container/Dockerfile
 * rendered for it by installFor, built on the engine. New projects' pnpm and Yarn 4 are
 * proven end to end in registry.test.ts (their own create commands and test suites).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { type ContainerModel, containerModel, execForm, stageHeading } from '../../generators/container/model.js';
import { installFor } from '../../generators/container/package-managers.js';
import { YARN_CLASSIC_VERSION } from '../../generators/container/package-manager-versions.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';

const IMAGE = 'container-api-pm-yarn-classic:test';
const install = installFor({ name: 'yarn', version: YARN_CLASSIC_VERSION });

const model: ContainerModel = containerModel({
  copyContext: false,
  productionDependencies: true,
  buildTools: false,
  nativeAddons: [],
  skipDownloads: [],
  dropScripts: [],
  hookFiles: [],
  environment: [['LOG_LEVEL', 'info']],
  name: 'yarn-classic-app',
  port: 8080,
  node: '24',
  runtime: 'slim',
  install,
  build: {
    heading: stageHeading('build', 'bundle to dist/'),
    files: ['build.mjs'],
    dirs: ['src'],
    wholeContext: false,
    script: 'build',
    command: install.run('build'),
    outputDir: 'dist',
  },
  start: execForm(['node', 'dist/main.js']),
  stop: { drains: false, handler: false, handlerEndsNothing: false, preload: undefined },
  healthCheck: undefined,
  dataDir: undefined,
  secrets: [],
  services: [],
  contextIgnores: [],
  metricsPort: undefined,
  dev: undefined,
  workspace: undefined,
  imageEnv: [],
});

function render(template: string): string {
  const file = path.join(REPO_ROOT, 'templates/container', template);
  return ejs.render(readFileSync(file, 'utf8'), model, { filename: file });
}

let app = '';
let buildLog = '';
beforeAll(() => {
  app = mkdtempSync(path.join(os.tmpdir(), 'yarn-classic-'));
  mkdirSync(path.join(app, 'src'));
  // One runtime dependency, one dev dependency the image must not hold.
  const pkg = {
    name: model.name,
    version: '1.0.0',
    private: true,
    type: 'module',
    packageManager: `yarn@${YARN_CLASSIC_VERSION}`,
    scripts: { build: 'node build.mjs' },
    // A range that leaves the image's Node.js 24 out, as old projects carry: Yarn 1 refuses to
    // install or run scripts under it (npm, pnpm and Yarn 2+ warn): the image builds only with
    // YARN_IGNORE_ENGINES set.
    engines: { node: '>=12 <15' },
    dependencies: { ms: '2.1.3' },
    devDependencies: { 'is-number': '7.0.0' },
  };
  writeFileSync(path.join(app, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(path.join(app, 'build.mjs'), "import { cpSync } from 'node:fs';\ncpSync('src', 'dist', { recursive: true });\n");
  writeFileSync(path.join(app, 'src/main.js'), "import ms from 'ms';\nconsole.log(`one minute is ${ms('1m')} ms`);\n");
  writeFileSync(path.join(app, 'Dockerfile'), render('Dockerfile'));
  writeFileSync(path.join(app, '.dockerignore'), render('_dockerignore'));
  // The lockfile, as Yarn 1 itself writes it.
  run('npm', ['exec', '--yes', `yarn@${YARN_CLASSIC_VERSION}`, '--', 'install', '--non-interactive', '--no-progress', '--ignore-engines'], {
    cwd: app,
  });
  rmSync(path.join(app, 'node_modules'), { recursive: true, force: true });
  buildLog = run('docker', ['buildx', 'build', '--progress=plain', '--load', '-t', IMAGE, '.'], { cwd: app, timeout: 10 * MINUTES }).output;
}, 15 * MINUTES);

afterAll(() => {
  run('docker', ['image', 'rm', '--force', IMAGE], { allowFail: true });
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('Yarn classic in the shared Dockerfile', () => {
  it('brings Yarn 1 in from npm and installs with --frozen-lockfile, engines ignored, then --production', () => {
    expect(readFileSync(path.join(app, 'yarn.lock'), 'utf8')).toMatch(/^# yarn lockfile v1/m);
    expect(buildLog).toContain(`npm install --global --no-audit --no-fund yarn@${YARN_CLASSIC_VERSION}`);
    // That the build ran at all is the proof: the app's engines range leaves Node.js 24 out.
    expect(readFileSync(path.join(app, 'Dockerfile'), 'utf8')).toContain('ENV YARN_IGNORE_ENGINES=true');
    expect(buildLog).toMatch(
      /\[deps \d+\/\d+\] RUN --mount=type=cache,target=\/usr\/local\/share\/\.cache\/yarn,sharing=locked\s+--mount=type=secret,id=npmrc/,
    );
    expect(buildLog).toMatch(/\[prod-deps \d+\/\d+\] RUN .*yarn install --frozen-lockfile --non-interactive --production/);
  });

  it('ships an image that runs the app with its runtime dependency only, and no Yarn or its cache', () => {
    expect(run('docker', ['run', '--rm', IMAGE]).stdout).toBe('one minute is 60000 ms');
    const probe = [
      "const { existsSync } = require('node:fs');",
      "console.log(JSON.stringify(['node_modules/ms', 'node_modules/is-number', 'src', '/usr/local/share/.cache/yarn', '/usr/local/lib/node_modules/yarn', '/root/.npmrc'].map((p) => [p, existsSync(p)])));",
    ].join(' ');
    const found = JSON.parse(run('docker', ['run', '--rm', IMAGE, 'node', '-e', probe]).stdout) as [string, boolean][];
    expect(Object.fromEntries(found)).toEqual({
      'node_modules/ms': true,
      'node_modules/is-number': false,
      src: false,
      '/usr/local/share/.cache/yarn': false,
      '/usr/local/lib/node_modules/yarn': false,
      '/root/.npmrc': false,
    });
  });
});

/**
 * One package of a monorepo (`--workspace`): which package and which of its workspace
 * dependencies detection finds, what the generator refuses, and the files it writes into
 * the package, with the monorepo root as the build context. No Docker here;
 * test/e2e/existing.test.ts builds and runs the result on the engine.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detect } from '../../generators/docker/detect/index.js';
import { workspacePackage } from '../../generators/docker/detect/workspaces.js';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';

const MONOREPO = path.join(REPO_ROOT, 'test/fixtures/existing/monorepo');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'workspace-gen-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(): string {
  const dir = path.join(mkdtempSync(path.join(work, 'gen-')), 'monorepo');
  cpSync(MONOREPO, dir, { recursive: true });
  return dir;
}

describe('detection in a monorepo', () => {
  it('finds the chosen package by folder or by name, and the workspace packages it needs with their builds', () => {
    const root = detect(MONOREPO);
    const byDir = workspacePackage(MONOREPO, root.workspaces!, 'packages/api');
    expect(byDir).toEqual({
      dir: 'packages/api',
      name: '@fixture/api',
      all: [
        { dir: 'packages/api', name: '@fixture/api' },
        { dir: 'packages/other', name: '@fixture/other' },
        { dir: 'packages/shared', name: '@fixture/shared' },
      ],
      internal: [{ dir: 'packages/shared', name: '@fixture/shared', buildScript: 'build', outputDir: 'dist' }],
    });
    expect(workspacePackage(MONOREPO, root.workspaces!, '@fixture/api')).toEqual(byDir);
    expect(workspacePackage(MONOREPO, root.workspaces!, 'packages/nope')).toBeUndefined();
  });

  it('runs detection on the package folder, and takes the manager and lockfile from the root', () => {
    const f = detect(path.join(MONOREPO, 'packages/api'));
    expect(f.workspaceRoot).toBe(MONOREPO);
    expect([f.packageManager.name, f.packageManager.lockfile]).toEqual(['npm', 'package-lock.json']);
    expect(f.start?.file).toBe('src/index.js');
    expect(f.health?.path).toBe('/health');
    expect(f.workspaces).toBeUndefined();
  });
});

describe('refusals, each writing nothing', () => {
  it('--workspace that names no package lists the packages', () => {
    const dir = copy();
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'packages/nope'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--workspace packages/nope is none of the workspace packages: packages/api, packages/other, packages/shared',
    );
    expect(existsSync(path.join(dir, 'packages/api/Dockerfile'))).toBe(false);
  });

  it('run inside a workspace package: points to the root and the flag', () => {
    const dir = copy();
    const result = generate(path.join(dir, 'packages/api'), ['--existing', '--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Run at the monorepo root with --workspace packages/api');
    expect(existsSync(path.join(dir, 'packages/api/Dockerfile'))).toBe(false);
  });

  it('--workspace in a project that declares no workspaces', () => {
    const dir = path.join(mkdtempSync(path.join(work, 'gen-')), 'plain');
    cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/no-health'), dir, { recursive: true });
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'api'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('declares no workspaces');
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });
});

describe('--existing --yes --workspace packages/api', () => {
  let dir = '';
  let stdout = '';
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  beforeAll(() => {
    dir = copy();
    stdout = generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'packages/api']).output;
  });

  it('shows the workspace chosen and what it needs in the summary', () => {
    expect(stdout).toContain('workspace       packages/api (@fixture/api)');
    expect(stdout).toContain('needs packages/shared (built with "build")');
    expect(stdout).toContain('npm run test:container --workspace packages/api');
  });

  it('writes the Docker files into the package, none at the root', () => {
    for (const file of ['Dockerfile', 'Dockerfile.dockerignore', 'compose.yaml', 'README.Docker.md', 'test/container/container.test.mjs'])
      expect(existsSync(path.join(dir, 'packages/api', file))).toBe(true);
    for (const file of ['Dockerfile', '.dockerignore', 'compose.yaml', 'packages/api/.dockerignore'])
      expect(existsSync(path.join(dir, file))).toBe(false);
  });

  it('Dockerfile: the needed manifests first, an install of this workspace only, the internal build, the package as workdir', () => {
    const dockerfile = read('packages/api/Dockerfile');
    expect(dockerfile).toContain(
      'COPY packages/shared/package.json ./packages/shared/package.json\nCOPY packages/api/package.json ./packages/api/package.json\n',
    );
    expect(dockerfile).not.toContain('packages/other');
    expect(dockerfile).toContain('npm ci --workspace packages/api --include-workspace-root=false --no-audit --no-fund');
    expect(dockerfile).toContain('npm ci --workspace packages/api --include-workspace-root=false --omit=dev --no-audit --no-fund');
    expect(dockerfile).toContain('RUN npm run build --workspace packages/shared\n');
    expect(dockerfile).toContain('COPY --from=build /app/packages/shared/dist ./packages/shared/dist');
    expect(dockerfile).toMatch(/WORKDIR \/app\/packages\/api\n(?:#.*\n)*USER 1000/);
    expect(dockerfile).toContain('CMD ["node", "src/index.js"]');
    // The manifests' COPY comes before the install in both install stages, the sources after.
    expect(dockerfile.indexOf('COPY packages/api/package.json')).toBeLessThan(dockerfile.indexOf('npm ci --workspace'));
  });

  it('compose builds from the monorepo root with the package’s Dockerfile; the test does the same', () => {
    expect(read('packages/api/compose.yaml')).toContain('      context: ../..\n      dockerfile: packages/api/Dockerfile\n');
    const test = read('packages/api/test/container/container.test.mjs');
    expect(test).toContain("const context = path.resolve(ROOT, '../..');");
    expect(test).toContain("'-f', path.join(ROOT, 'Dockerfile'), context");
  });

  it('the ignore file beside the Dockerfile lets in only the root manifests and the packages needed', () => {
    const ignore = read('packages/api/Dockerfile.dockerignore').split('\n');
    expect(ignore).toEqual(
      expect.arrayContaining(['*', '!package.json', '!package-lock.json', '!packages/shared', '!packages/api', '**/node_modules/']),
    );
    expect(ignore.some((line) => line.includes('packages/other'))).toBe(false);
  });

  it('README.Docker.md gives the commands, run from the root', () => {
    const readme = read('packages/api/README.Docker.md');
    expect(readme).toContain('docker compose -f packages/api/compose.yaml up -d --build');
    expect(readme).toContain('npm run test:container --workspace packages/api');
  });

  it('adds the script and testcontainers to the package; with --skip-install no manager runs, and the output says what to run', () => {
    const pkg = JSON.parse(read('packages/api/package.json'));
    expect(pkg.scripts['test:container']).toBe('node --test test/container/container.test.mjs');
    expect(pkg.devDependencies.testcontainers).toBeDefined();
    expect(JSON.parse(read('package.json')).devDependencies).toBeUndefined();
    // The lockfile is the user's until they install: --skip-install ran no package manager.
    expect(JSON.parse(read('package-lock.json')).packages['packages/api'].devDependencies?.testcontainers).toBeUndefined();
    expect(stdout).toContain('npm install --ignore-scripts (at the monorepo root)');
    expect(stdout).toContain('package-lock.json, which the image installs from');
  });
});

describe('a pnpm monorepo: --workspace @fixture-pnpm/api', () => {
  it('installs with --filter <name>..., builds with pnpm --filter, copies every importer’s manifest', () => {
    const dir = path.join(mkdtempSync(path.join(work, 'gen-')), 'monorepo-pnpm');
    cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/monorepo-pnpm'), dir, { recursive: true });
    generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', '@fixture-pnpm/api']);
    const dockerfile = readFileSync(path.join(dir, 'packages/api/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./');
    for (const pkg of ['api', 'other', 'shared'])
      expect(dockerfile).toContain(`COPY packages/${pkg}/package.json ./packages/${pkg}/package.json`);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile --filter @fixture-pnpm/api...');
    expect(dockerfile).toContain(
      'pnpm install --frozen-lockfile --prod --filter @fixture-pnpm/api... \\\n    && rm -f node_modules/.modules.yaml node_modules/.pnpm/lock.yaml',
    );
    expect(dockerfile).toContain('RUN pnpm --filter @fixture-pnpm/shared run build\n');
    expect(readFileSync(path.join(dir, 'packages/api/README.Docker.md'), 'utf8')).toContain(
      'pnpm --filter @fixture-pnpm/api run test:container',
    );
  });
});

describe('a Yarn 4 monorepo: --workspace packages/api', () => {
  it('installs with yarn workspaces focus, dev dependencies included, then --production', () => {
    const dir = path.join(mkdtempSync(path.join(work, 'gen-')), 'monorepo-yarn');
    cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/monorepo-yarn'), dir, { recursive: true });
    generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'packages/api']);
    const dockerfile = readFileSync(path.join(dir, 'packages/api/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY package.json yarn.lock .yarnrc.yml ./');
    expect(dockerfile).toMatch(/\n {4}yarn workspaces focus @fixture-yarn\/api\n/);
    expect(dockerfile).toContain('yarn workspaces focus @fixture-yarn/api --production');
    expect(dockerfile).toContain('RUN yarn workspace @fixture-yarn/shared run build\n');
  });
});

describe('a Yarn 1 monorepo: --workspace packages/api', () => {
  it('narrows the install stages’ copy of the root package.json to the workspaces it needs, then installs from the lockfile', () => {
    const dir = path.join(mkdtempSync(path.join(work, 'gen-')), 'monorepo-yarn-classic');
    cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/monorepo-yarn-classic'), dir, { recursive: true });
    generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'packages/api']);
    const dockerfile = readFileSync(path.join(dir, 'packages/api/Dockerfile'), 'utf8');
    // The root lists its workspaces as { packages: [...] }, which npm pkg refuses to edit: replaced by the array.
    const narrow = `npm pkg set --json 'workspaces=["packages/shared","packages/api"]'`;
    expect(dockerfile).toContain(`${narrow} && yarn install --frozen-lockfile --non-interactive\n`);
    expect(dockerfile).toContain(`${narrow} && yarn install --frozen-lockfile --non-interactive --production\n`);
    expect(dockerfile).toContain('COPY packages/api/package.json ./packages/api/package.json');
    expect(dockerfile).not.toContain('packages/other');
    expect(readFileSync(path.join(dir, 'packages/api/README.Docker.md'), 'utf8')).toContain('Yarn 1 has no `workspaces focus`');
  });
});

/**
 * The package-manager module: one Install per manager and version line, every branch of
 * installFor, and the versions a new project pins. What these commands do on the engine is
 * proven by test/e2e/package-managers.test.ts; here, what they say.
 */
import {
  installFor,
  npmInstall,
  PACKAGE_MANAGERS,
  pinnedInstall,
  pnpmInstall,
  yarnBerryInstall,
  yarnClassicInstall,
} from '../../generators/container/package-managers.js';
import { PNPM_VERSION, YARN_CLASSIC_VERSION, YARN_VERSION } from '../../generators/container/package-manager-versions.js';
import { managerFromUserAgent } from '../../generators/app/command.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { GENERATOR_PATH } from '../support/paths.js';
import helpers from '../support/yeoman.js';

describe('installFor', () => {
  // JSON leaves out run() and exec(): each test calls them.
  it('npm: the image’s own npm, whatever version is asked for, and no packageManager field', () => {
    const install = installFor({ name: 'npm', version: '11.6.0' });
    expect(JSON.stringify(install)).toBe(JSON.stringify(npmInstall()));
    expect(install.packageManagerField).toBeUndefined();
    expect(install.setup).toEqual([]);
    expect(install.all).toBe('npm ci --no-audit --no-fund');
    expect(install.production).toBe('npm ci --omit=dev --no-audit --no-fund');
    expect(install.cache).toBe('/root/.npm');
    expect([install.secretId, install.secretTarget]).toEqual(['npmrc', '/root/.npmrc']);
    expect(install.run('build')).toBe('npm run build');
    expect(install.exec('tsc')).toBe('npx tsc');
  });

  it.each(['8.15.9', '9.15.9', '10.34.8', PNPM_VERSION])('pnpm %s: frozen lockfile, --prod, its store on the cache mount', (version) => {
    const install = installFor({ name: 'pnpm', version });
    expect(install).toMatchObject({
      packageManager: 'pnpm',
      packageManagerField: `pnpm@${version}`,
      lockfile: 'pnpm-lock.yaml',
      configFiles: ['pnpm-workspace.yaml'],
      all: 'pnpm install --frozen-lockfile',
      production: 'pnpm install --frozen-lockfile --prod',
      cache: '/root/.local/share/pnpm/store',
      secretId: 'npmrc',
      secretTarget: '/root/.npmrc',
    });
    expect(install.setup).toEqual([`RUN --mount=type=cache,target=/root/.npm npm install --global --no-audit --no-fund pnpm@${version}`]);
    expect(install.run('build')).toBe('pnpm run build');
    expect(install.exec('tsc')).toBe('pnpm exec tsc');
    // Its records of the install go; its virtual store (.pnpm), which node resolves through, stays.
    expect(install.productionPrune?.command).toBe(
      'rm -f node_modules/.modules.yaml node_modules/.pnpm/lock.yaml node_modules/.pnpm-workspace-state-v1.json',
    );
    expect(JSON.stringify(install)).toBe(JSON.stringify(pnpmInstall(version)));
  });

  it.each(['1.22.19', YARN_CLASSIC_VERSION])('Yarn classic %s: --frozen-lockfile, --production, credentials from .npmrc', (version) => {
    const install = installFor({ name: 'yarn', version });
    expect(install).toMatchObject({
      packageManager: 'yarn',
      yarnClassic: true,
      packageManagerField: `yarn@${version}`,
      lockfile: 'yarn.lock',
      configFiles: [],
      all: 'yarn install --frozen-lockfile --non-interactive',
      production: 'yarn install --frozen-lockfile --non-interactive --production',
      cache: '/usr/local/share/.cache/yarn',
      secretId: 'npmrc',
      secretTarget: '/root/.npmrc',
    });
    expect(install.setup[0]).toBe(`RUN --mount=type=cache,target=/root/.npm npm install --global --no-audit --no-fund yarn@${version}`);
    // Yarn 1 alone enforces "engines" on install and on run: the stages that use it turn that off.
    expect(install.setup.at(-1)).toBe('ENV YARN_IGNORE_ENGINES=true');
    expect(install.run('build')).toBe('yarn run build');
    expect(JSON.stringify(install)).toBe(JSON.stringify(yarnClassicInstall(version)));
  });

  it.each(['2.4.3', '3.8.7', '4.0.0', YARN_VERSION])(
    'Yarn %s (berry): --immutable, workspaces focus --production, a home .yarnrc.yml secret',
    (version) => {
      const install = installFor({ name: 'yarn', version });
      expect(install).toMatchObject({
        packageManager: 'yarn',
        packageManagerField: `yarn@${version}`,
        lockfile: 'yarn.lock',
        configFiles: ['.yarnrc.yml'],
        contextIgnores: ['.yarn/'],
        all: 'yarn install --immutable',
        production: 'yarn workspaces focus --all --production',
        cache: '/root/.yarn/berry/cache',
        secretId: 'yarnrc',
        secretTarget: '/root/.yarnrc.yml',
      });
      expect(install.setup).toEqual([
        `RUN --mount=type=cache,target=/root/.npm npm install --global --no-audit --no-fund @yarnpkg/cli-dist@${version}`,
      ]);
      expect(install.exec('tsc')).toBe('yarn run tsc');
      expect(install.yarnClassic).toBeUndefined();
      expect(JSON.stringify(install)).toBe(JSON.stringify(yarnBerryInstall(version)));
    },
  );

  it.each([
    [{ name: 'pnpm', version: '7.33.0' }, /older than pnpm 8.*pin pnpm@/],
    [{ name: 'pnpm', version: '^9.0.0' }, /not an exact version: pin one such as pnpm@/],
    [{ name: 'yarn', version: 'latest' }, /not an exact version: pin one such as yarn@4\./],
  ] as const)('refuses %j and says what to pin', (spec, message) => {
    expect(() => installFor(spec)).toThrow(message);
  });
});

describe('the versions a new project pins', () => {
  it('are exact, one per manager, from package-manager-versions.ts', () => {
    for (const version of [PNPM_VERSION, YARN_VERSION, YARN_CLASSIC_VERSION]) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(PACKAGE_MANAGERS.map((name) => pinnedInstall(name).packageManagerField)).toEqual([
      undefined,
      `pnpm@${PNPM_VERSION}`,
      `yarn@${YARN_VERSION}`,
    ]);
    expect(YARN_VERSION.startsWith('4.')).toBe(true);
  });
});

describe('the default package manager', () => {
  it.each([
    ['pnpm/12.4.2 npm/? node/v24.22.3 linux x64', 'pnpm'],
    ['yarn/4.18.1 npm/? node/v24.22.3 linux x64', 'yarn'],
    ['yarn/1.22.22 npm/? node/v24.22.3 linux x64', 'yarn'],
    ['npm/11.19.1 node/v24.22.3 linux x64 workspaces/false', 'npm'],
    ['bun/1.3.0 npm/? node/v24.3.0 linux x64', 'npm'],
    [undefined, 'npm'],
    ['', 'npm'],
  ] as const)('is the one that runs the generator: %j → %s', (agent, manager) => {
    expect(managerFromUserAgent(agent)).toBe(manager);
  });
});

describe('the install after writing', () => {
  // The environment installs with the manager the answers chose, even though the container
  // layer it composes is a generator of its own, constructed after the choice was made.
  it.each(PACKAGE_MANAGERS)('runs %s when the project is for %s', async (manager) => {
    const result = await helpers
      .run<ContainerApiGenerator>(GENERATOR_PATH)
      .withOptions({ yes: true, interactive: false, skipInstall: true, force: false, 'package-manager': manager });
    expect((result.env as unknown as { options: { nodePackageManager?: string } }).options.nodePackageManager).toBe(manager);
  });
});

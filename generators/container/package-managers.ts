/**
 * npm, pnpm and Yarn, said once: what each copies, how it installs exactly its lockfile, where
 * it caches, and how the image gets the manager itself. Generators pick one by name and
 * version (from their question, or from what an existing project's lockfile says), and the
 * shared container layer renders whatever this returns; templates never compare names.
 *
 * Everything this package knows about a package manager is in this file: the image's
 * installs, a monorepo's filtered ones, the commands a project's docs and CI print, and how
 * the generator itself runs the manager after writing.
 */

import { PNPM_VERSION, YARN_VERSION } from './package-manager-versions.js';

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn';

export const PACKAGE_MANAGERS: readonly PackageManagerName[] = ['npm', 'pnpm', 'yarn'];

/** A manager and the exact version a project pins (package.json `packageManager`). */
export interface PackageManagerSpec {
  name: PackageManagerName;
  /** Exact version, e.g. `10.34.8`; for npm, the version the image's node ships is used. */
  version: string;
}

export interface Install {
  packageManager: PackageManagerName;
  /**
   * Yarn 1 (classic), which installs like npm in a monorepo (from the root manifest and the
   * manifests of the workspaces it takes) and has no `workspaces focus`.
   */
  yarnClassic?: true | undefined;
  /** The `packageManager` field value, e.g. `pnpm@12.4.2`; undefined for npm (the image's node ships it). */
  packageManagerField: string | undefined;
  /** Copied next to package.json before the install, so the install layer is cached. */
  lockfile: string;
  /** Other files the install reads (`.yarnrc.yml`), copied with it. */
  configFiles: readonly string[];
  /** The manager's state and caches inside the project, which the build context leaves out. */
  contextIgnores: readonly string[];
  /** The npm package, at the pinned version, that provides the manager (`pnpm@12.4.2`); undefined for npm. */
  globalPackage: string | undefined;
  /** Dockerfile RUN lines that bring the manager in at its pinned version; empty for npm. */
  setup: readonly string[];
  /** Installs exactly the lockfile and fails if it would change: dev dependencies included / runtime ones only. */
  all: string;
  production: string;
  /**
   * Run after the runtime-only install, in the same layer: removes what the manager writes into
   * node_modules for itself (node never reads it, and the runtime image has no manager).
   */
  productionPrune?: { command: string; why: readonly string[] } | undefined;
  /** Comment lines the Dockerfile gives above the installs: why a flag is there. */
  notes?: readonly string[] | undefined;
  /** Where the manager keeps downloads (a BuildKit cache mount target), never in a layer. */
  cache: string;
  /** `locked`: the manager's cache is unsafe to share between installs running at once. */
  cacheSharing?: 'locked' | undefined;
  /** The build secret's id, and where the private-registry credentials file is mounted. */
  secretId: string;
  secretTarget: string;
  /** The credentials file on the developer's machine that the secret is usually made from. */
  secretSource: string;
  /** The shell command that runs a package.json script, e.g. `pnpm run build`. */
  run: (script: string) => string;
  /** Runs a binary from the project's dependencies, e.g. `npx tsc`, `pnpm exec tsc`. */
  exec: (bin: string) => string;
}

/** The major version of `version`, or NaN when it does not start with one. */
function major(version: string): number {
  return Number(/^(\d+)\./.exec(version)?.[1] ?? Number.NaN);
}

/**
 * How the image gets the manager: `npm install --global` from the npm registry, the one
 * source that every Node line (22, 24 and 26; Corepack is gone from 25 on) and every
 * mirror has. The npm cache mount keeps the download out of the layer.
 */
function globalInstall(pkg: string): string {
  return `RUN --mount=type=cache,target=/root/.npm npm install --global --no-audit --no-fund ${pkg}`;
}

export function npmInstall(): Install {
  return {
    packageManager: 'npm',
    packageManagerField: undefined,
    lockfile: 'package-lock.json',
    configFiles: [],
    contextIgnores: [],
    globalPackage: undefined,
    setup: [],
    all: 'npm ci --no-audit --no-fund',
    production: 'npm ci --omit=dev --no-audit --no-fund',
    cache: '/root/.npm',
    secretId: 'npmrc',
    secretTarget: '/root/.npmrc',
    secretSource: '$HOME/.npmrc',
    run: (script) => `npm run ${script}`,
    exec: (bin) => `npx ${bin}`,
  };
}

/** pnpm 8 and later: the store is content-addressed under the cache mount; node_modules gets copies. */
export function pnpmInstall(version: string): Install {
  return {
    packageManager: 'pnpm',
    packageManagerField: `pnpm@${version}`,
    lockfile: 'pnpm-lock.yaml',
    // Where pnpm 10 and later read which dependencies may run install scripts.
    configFiles: ['pnpm-workspace.yaml'],
    contextIgnores: ['.pnpm-store/'],
    globalPackage: `pnpm@${version}`,
    setup: [globalInstall(`pnpm@${version}`)],
    all: 'pnpm install --frozen-lockfile',
    production: 'pnpm install --frozen-lockfile --prod',
    productionPrune: {
      command: 'rm -f node_modules/.modules.yaml node_modules/.pnpm/lock.yaml node_modules/.pnpm-workspace-state-v1.json',
      why: [
        "pnpm's records of what it installed are for its own next run: node never reads them, and the",
        'runtime image has no pnpm to run.',
      ],
    },
    cache: '/root/.local/share/pnpm/store',
    secretId: 'npmrc',
    secretTarget: '/root/.npmrc',
    secretSource: '$HOME/.npmrc',
    run: (script) => `pnpm run ${script}`,
    exec: (bin) => `pnpm exec ${bin}`,
  };
}

/**
 * Yarn 2 and later (berry), with the node-modules linker (.yarnrc.yml). Credentials come
 * from a second, home-directory .yarnrc.yml (`npmAuthToken`), which Yarn merges with the
 * project's: mounted as a secret like npm's .npmrc.
 */
export function yarnBerryInstall(version: string): Install {
  return {
    packageManager: 'yarn',
    packageManagerField: `yarn@${version}`,
    lockfile: 'yarn.lock',
    configFiles: ['.yarnrc.yml'],
    // Install state, and the cache and unplugged packages of a project that keeps them locally.
    contextIgnores: ['.yarn/'],
    globalPackage: `@yarnpkg/cli-dist@${version}`,
    setup: [globalInstall(`@yarnpkg/cli-dist@${version}`)],
    all: 'yarn install --immutable',
    // `focus` installs the workspaces' dependencies without the dev ones, from the same lockfile.
    production: 'yarn workspaces focus --all --production',
    cache: '/root/.yarn/berry/cache',
    secretId: 'yarnrc',
    secretTarget: '/root/.yarnrc.yml',
    secretSource: '$HOME/.yarnrc.yml',
    run: (script) => `yarn run ${script}`,
    exec: (bin) => `yarn run ${bin}`,
  };
}

/** Yarn 1 (classic), as existing projects pin it: it reads registry credentials from .npmrc. */
export function yarnClassicInstall(version: string): Install {
  return {
    packageManager: 'yarn',
    yarnClassic: true,
    packageManagerField: `yarn@${version}`,
    lockfile: 'yarn.lock',
    configFiles: [],
    contextIgnores: [],
    globalPackage: `yarn@${version}`,
    setup: [
      globalInstall(`yarn@${version}`),
      '# Yarn 1 alone refuses to install or run anything when a package\'s "engines" leaves this',
      '# Node.js line out (npm, pnpm and Yarn 2+ warn), and old projects pin such packages.',
      'ENV YARN_IGNORE_ENGINES=true',
    ],
    all: 'yarn install --frozen-lockfile --non-interactive',
    production: 'yarn install --frozen-lockfile --non-interactive --production',
    cache: '/usr/local/share/.cache/yarn',
    // Yarn 1 corrupts a cache that two installs write at once ("Extracting tar content ...
    // failed"), and BuildKit runs the deps and prod-deps stages in parallel.
    cacheSharing: 'locked',
    secretId: 'npmrc',
    secretTarget: '/root/.npmrc',
    secretSource: '$HOME/.npmrc',
    run: (script) => `yarn run ${script}`,
    exec: (bin) => `yarn run ${bin}`,
  };
}

/**
 * The install for a manager at a version: npm (any version: the image's own), pnpm 8 and
 * later, Yarn 1 (classic) and Yarn 2 and later (berry). Anything else is refused with what
 * to pin instead.
 */
export function installFor(spec: PackageManagerSpec): Install {
  if (spec.name === 'npm') return npmInstall();
  const m = major(spec.version);
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(spec.version)) {
    throw new Error(
      `${spec.name}@${spec.version} is not an exact version: pin one such as ${spec.name}@${spec.name === 'pnpm' ? PNPM_VERSION : YARN_VERSION} in package.json "packageManager".`,
    );
  }
  if (spec.name === 'pnpm') {
    if (m < 8)
      throw new Error(
        `pnpm ${spec.version} is older than pnpm 8, which this generator supports: pin pnpm@${PNPM_VERSION} (or 8 and later) in package.json "packageManager".`,
      );
    return pnpmInstall(spec.version);
  }
  return m === 1 ? yarnClassicInstall(spec.version) : yarnBerryInstall(spec.version);
}

/** The manager at the version a new project pins (package-manager-versions.ts; pnpm's may be the user's). */
export function pinnedInstall(name: PackageManagerName, pnpmVersion = PNPM_VERSION): Install {
  if (name === 'npm') return npmInstall();
  return installFor({ name, version: name === 'pnpm' ? pnpmVersion : YARN_VERSION });
}

/** A script of one workspace package, run from the monorepo root. */
export function runIn(install: Install, pkg: { dir: string; name: string }, script: string): string {
  if (install.packageManager === 'npm') return `npm run ${script} --workspace ${pkg.dir}`;
  if (install.packageManager === 'pnpm') return `pnpm --filter ${pkg.name} run ${script}`;
  return `yarn workspace ${pkg.name} run ${script}`;
}

/** One package of a monorepo, as the filtered installs name it. */
export interface WorkspaceTarget {
  dir: string;
  name: string;
  /** The workspace packages it depends on, which the install takes with it. */
  internal: readonly { dir: string }[];
}

/**
 * Installs for one workspace package: its dependencies and those of the workspace packages
 * it needs, none of the other packages'. Yarn 1 has no such filter (no `workspaces focus`):
 * the stage's copy of the root package.json lists only those workspaces instead, and Yarn 1's
 * --frozen-lockfile accepts a lockfile with entries left over, so it still installs exactly
 * the locked versions.
 */
export function workspaceInstall(install: Install, pkg: WorkspaceTarget): Install {
  const run = (script: string) => runIn(install, pkg, script);
  switch (install.packageManager) {
    case 'npm': {
      const only = `--workspace ${pkg.dir} --include-workspace-root=false`;
      return { ...install, run, all: `npm ci ${only} --no-audit --no-fund`, production: `npm ci ${only} --omit=dev --no-audit --no-fund` };
    }
    case 'pnpm':
      // `name...`: the package and everything it depends on, workspace packages included.
      return {
        ...install,
        run,
        all: `pnpm install --frozen-lockfile --filter ${pkg.name}...`,
        production: `pnpm install --frozen-lockfile --prod --filter ${pkg.name}...`,
      };
    default: {
      if (!install.yarnClassic) {
        return { ...install, run, all: `yarn workspaces focus ${pkg.name}`, production: `yarn workspaces focus ${pkg.name} --production` };
      }
      // An array even where the root has Yarn's { packages, nohoist } form, which npm refuses to edit.
      const dirs = JSON.stringify([...pkg.internal.map((dep) => dep.dir), pkg.dir]);
      const narrow = `npm pkg set --json 'workspaces=${dirs}' && `;
      return {
        ...install,
        run,
        all: narrow + install.all,
        production: narrow + install.production,
        notes: [
          ...(install.notes ?? []),
          `Yarn 1 has no \`workspaces focus\`: \`npm pkg set\` narrows this stage's copy of the root package.json to`,
          `the workspaces ${pkg.dir} needs, so the install takes none of the others' dependencies.`,
        ],
      };
    }
  }
}

/** How the generator itself runs a manager on the developer's machine, after writing. */
export interface LocalInstall {
  /** The install that brings node_modules and the lockfile up to date with package.json. */
  args: readonly string[];
  /** Variables the manager needs for a first install to work (see localInstallFor). */
  env: Readonly<Record<string, string>>;
}

export function localInstallFor(name: PackageManagerName): LocalInstall {
  if (name === 'npm') return { args: ['install', '--no-audit', '--no-fund'], env: {} };
  // Under CI=true Yarn makes every install immutable, and refuses to write the lockfile a
  // first install exists to create. The project's own CI keeps the immutable default.
  if (name === 'yarn') return { args: ['install'], env: { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' } };
  return { args: ['install'], env: {} };
}

/**
 * How a generator updates an existing project's lockfile after adding a dependency to its
 * package.json, on the developer's machine:
 * - with the manager and major the lockfile was written by: npx of that exact release, never
 *   whatever `yarn` or `pnpm` the PATH has, which may be another major and rewrite the lockfile
 *   into its own format (Yarn 4 turns a v1 yarn.lock into a Berry one the image's Yarn 1 refuses);
 * - the lockfile only, building nothing on the host: a native addon (bcrypt, better-sqlite3)
 *   would need a compiler the host may lack, and the image builds it anyway. Yarn 1 has no
 *   lockfile-only mode; --ignore-scripts keeps its install from building anything.
 */
export interface LockfileUpdate {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

export function lockfileUpdateFor(install: Install): LockfileUpdate {
  const name = install.packageManager;
  if (name === 'npm' || !install.globalPackage)
    return { command: 'npm', args: ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], env: {} };
  const exact = ['--yes', '--package', install.globalPackage, '--', name];
  if (name === 'pnpm') return { command: 'npx', args: [...exact, 'install', '--lockfile-only', '--ignore-scripts'], env: {} };
  if (install.yarnClassic)
    return { command: 'npx', args: [...exact, 'install', '--ignore-scripts', '--non-interactive', '--no-progress'], env: {} };
  // Under CI=true Yarn makes every install immutable, and refuses the lockfile change asked for.
  return { command: 'npx', args: [...exact, 'install', '--mode=update-lockfile'], env: { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' } };
}

/**
 * The install a developer runs after the lockfile update, for the container test's own
 * dependencies, with the same manager and major: ignoring scripts, since the host may have no
 * compiler for the app's native addons and the test needs none of them.
 */
export function hostInstall(install: Install): string {
  const name = install.packageManager;
  if (name === 'npm' || !install.globalPackage) return 'npm install --ignore-scripts';
  const exact = `npx --yes --package ${install.globalPackage} -- ${name}`;
  if (name === 'pnpm') return `${exact} install --ignore-scripts`;
  if (install.yarnClassic) return `${exact} install --ignore-scripts`;
  return `YARN_ENABLE_SCRIPTS=false ${exact} install`;
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

/** The manager itself, installed globally in the build stages only, and its caches and credentials. */
const LEFTOVERS: Record<PackageManagerName, string> = {
  npm: String.raw`/(^|\/)(\.npm|_cacache)(\/|$)|(^|\/)\.npmrc$/`,
  pnpm: String.raw`/(^|\/)(\.npm|_cacache|\.pnpm-store|\.local\/share\/pnpm|\.cache\/pnpm)(\/|$)|(^|\/)\.npmrc$|^usr\/local\/lib\/node_modules\/pnpm(\/|$)/`,
  yarn: String.raw`/(^|\/)(\.npm|\.yarn|\.cache\/yarn)(\/|$)|(^|\/)\.yarnrc(\.yml)?$|^usr\/local\/lib\/node_modules\/(yarn|@yarnpkg)(\/|$)/`,
};

/** A path as it appears inside a regular expression literal. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** What a package manager means for a project's docs and CI, from the image's install. */
export function packageManagerModel(install: Install): PackageManagerModel {
  const name = install.packageManager;
  const npm = name === 'npm';
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
    leftovers: LEFTOVERS[name],
    manifests: new Intl.ListFormat('en', { type: 'disjunction' }).format(
      ['package.json', install.lockfile, ...install.configFiles].map((file) => `\`${file}\``),
    ),
    cachePattern: literal(install.cache),
    productionPattern: literal(install.production),
  };
}

/**
 * The package manager that runs us, from the user agent every one of them sets for the
 * programs it starts (`pnpm/12.4.2 npm/? node/v24.22.3 linux x64`): `pnpm create` means
 * pnpm, `yarn create` Yarn, anything else npm.
 */
export function managerFromUserAgent(userAgent: string | undefined): PackageManagerName {
  const name = /^([a-z]+)\//.exec(userAgent ?? '')?.[1];
  return (PACKAGE_MANAGERS as readonly string[]).includes(name ?? '') ? (name as PackageManagerName) : 'npm';
}

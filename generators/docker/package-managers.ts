/**
 * npm, pnpm and Yarn, said once: what each copies, how it installs exactly its lockfile, where
 * it caches, and how the image gets the manager itself. Generators pick one by name and
 * version (from their question, or from what an existing project's lockfile says), and the
 * shared container layer renders whatever this returns; templates never compare names.
 *
 * INTERFACE OWNED BY THE LEAD (issue 14 fills in and proves pnpm and Yarn; issue 21 uses it,
 * including the Yarn classic and older pnpm shapes of existing projects).
 */

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
  /** The `packageManager` field value, e.g. `pnpm@10.34.8`; undefined for npm. */
  packageManagerField: string | undefined;
  /** Copied next to package.json before the install, so the install layer is cached. */
  lockfile: string;
  /** Other files the install reads (`.yarnrc.yml`, `pnpm-workspace.yaml`), copied with it. */
  configFiles: readonly string[];
  /** Dockerfile RUN lines that bring the manager in at its pinned version; empty for npm. */
  setup: readonly string[];
  /** Installs exactly the lockfile and fails if it would change: dev dependencies included / runtime ones only. */
  all: string;
  production: string;
  /** Where the manager keeps downloads (a BuildKit cache mount target), never in a layer. */
  cache: string;
  /** Where the private-registry credentials file is mounted as a build secret. */
  secretTarget: string;
  /** The shell command that runs a package.json script, e.g. `pnpm run build`. */
  run: (script: string) => string;
  /** Runs a binary from the project's dependencies, e.g. `npx tsc`, `pnpm exec tsc`. */
  exec: (bin: string) => string;
}

export function npmInstall(): Install {
  return {
    packageManager: 'npm',
    packageManagerField: undefined,
    lockfile: 'package-lock.json',
    configFiles: [],
    setup: [],
    all: 'npm ci --no-audit --no-fund',
    production: 'npm ci --omit=dev --no-audit --no-fund',
    cache: '/root/.npm',
    secretTarget: '/root/.npmrc',
    run: (script) => `npm run ${script}`,
    exec: (bin) => `npx ${bin}`,
  };
}

/** The install for a manager at a version. Issue 14 implements pnpm and Yarn here. */
export function installFor(spec: PackageManagerSpec): Install {
  if (spec.name === 'npm') return npmInstall();
  throw new Error(`${spec.name} is not supported yet`);
}

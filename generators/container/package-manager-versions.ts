/**
 * The package-manager versions a new project pins in package.json `packageManager`, and
 * that its image installs. The one place to bump them (Renovate updates the generated
 * project's field afterwards).
 *
 * pnpm 12.4.2 rather than the newest 12.x: later 12.x releases list per-platform builds that
 * this project's registry mirror does not serve, and `npm ci` then refuses the lock.
 */
export const PNPM_VERSION = '12.4.2';
/** Yarn 4 (berry), as published on npm by the Yarn team: `@yarnpkg/cli-dist`. */
export const YARN_VERSION = '4.18.1';
/** The last Yarn 1 ("classic"): existing projects may pin it; new ones get YARN_VERSION. */
export const YARN_CLASSIC_VERSION = '1.22.22';

import { spawnSync } from 'node:child_process';
import os from 'node:os';

/**
 * The package-manager versions a new project pins in package.json `packageManager`, and
 * that its image installs. The one place to bump them (Renovate updates the generated
 * project's field afterwards).
 *
 * A new pnpm project pins the user's own pnpm when there is one (pnpmToPin); PNPM_VERSION is
 * for a machine that has none. pnpm 12.4.2 rather than the newest 12.x: later 12.x releases
 * list per-platform builds that this project's registry mirror does not serve, and `npm ci`
 * then refuses the lock.
 */
export const PNPM_VERSION = '12.4.2';
/** Yarn 4 (berry), as published on npm by the Yarn team: `@yarnpkg/cli-dist`. */
export const YARN_VERSION = '4.18.1';
/** The last Yarn 1 ("classic"): existing projects may pin it; new ones get YARN_VERSION. */
export const YARN_CLASSIC_VERSION = '1.22.22';

/** The pnpm a new project pins, and why that one: said in the answers the run prints. */
export interface PnpmPin {
  version: string;
  reason: string;
}

/**
 * The version of the pnpm a user would run, as `pnpm --version` prints it, or undefined when
 * there is none (or it answers with something else). Asked outside any project, so no
 * `packageManager` field makes it switch versions, and with Corepack told not to prompt.
 */
export function pnpmOnPath(): string | undefined {
  const result = spawnSync('pnpm', ['--version'], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    timeout: 15_000,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' },
  });
  const version = result.status === 0 ? result.stdout.trim() : '';
  return /^\d+\.\d+\.\d+$/.test(version) ? version : undefined;
}

/**
 * The user's own pnpm (8 or later, what the image's install supports) rather than
 * PNPM_VERSION: pnpm 10 and later switch themselves to the pinned version on the first
 * install, a download that fails where the registry serves no signatures, and a project
 * should build with the pnpm its author has.
 */
export function pnpmToPin(onPath: string | undefined): PnpmPin {
  if (onPath === undefined) return { version: PNPM_VERSION, reason: 'no pnpm on your PATH' };
  if (Number(onPath.split('.')[0]) >= 8) return { version: onPath, reason: 'the pnpm on your PATH' };
  return { version: PNPM_VERSION, reason: `your PATH has pnpm ${onPath}, older than 8` };
}

/**
 * Native dependencies. Some bring compiled binaries inside their npm packages or as
 * platform packages from the npm registry (sharp's @img/sharp-*, bcrypt 6 and argon2's
 * bundled prebuilds): they install anywhere npm reaches. Others download them from GitHub
 * releases at install time and compile from source when that fails: where GitHub is out of
 * reach (a mirror, an air gap, this project's own CI) they need python3, make and g++ in
 * the build stage. Those are the ones listed here.
 */
import type { ProjectFiles } from './project-files.js';

/** Addons whose install compiles, or may have to compile, with node-gyp. */
const COMPILING = [
  'sqlite3',
  'better-sqlite3',
  'bcrypt',
  'canvas',
  'node-sass',
  'libxmljs',
  'libxmljs2',
  're2',
  'cpu-features',
  'zeromq',
  'grpc',
  'usb',
  'serialport',
  'ffi-napi',
  'ref-napi',
  'leveldown',
  'microtime',
  'epoll',
];
/** Addons that ship prebuilt binaries through npm itself: no build tools needed. */
const PREBUILT = ['sharp', 'argon2', '@node-rs/bcrypt', '@node-rs/argon2', 'bufferutil', 'utf-8-validate'];

/**
 * Packages whose install script downloads a binary from their vendor's host rather than the
 * npm registry (Cypress its test app, Puppeteer a browser), and the variable that skips it.
 * Where that host is out of reach the image's install fails, and what they download lands
 * in the home folder of the install stage, which no image copies: skipping it costs nothing.
 */
const DOWNLOADERS: Record<string, readonly [string, string]> = {
  cypress: ['CYPRESS_INSTALL_BINARY', '0'],
  puppeteer: ['PUPPETEER_SKIP_DOWNLOAD', 'true'],
};

export interface NativeFinding {
  /**
   * Dependencies that may need a compiler to install: dev ones too (sqlite3 for the tests),
   * since the deps stage installs them, in the same toolchain.
   */
  compiling: string[];
  /** Those that install prebuilt from the npm registry. */
  prebuilt: string[];
  /** Packages the install would download a binary for, with the variable that skips it. */
  downloads: { pkg: string; variable: string; value: string }[];
}

export function detectNative(project: ProjectFiles): NativeFinding {
  const deps = Object.keys(project.dependencies);
  const compiling = [...new Set([...deps, ...Object.keys(project.devDependencies)])].filter((name) => COMPILING.includes(name));
  // bcrypt 6 and later bundle their prebuilds in the npm package.
  const bcrypt = project.dependencies.bcrypt ?? project.devDependencies.bcrypt;
  const bcryptPrebuilt = bcrypt !== undefined && /^[\^~>=]*\s*([6-9]|\d{2})/.test(bcrypt);
  return {
    compiling: compiling.filter((name) => !(name === 'bcrypt' && bcryptPrebuilt)),
    prebuilt: [...deps.filter((name) => PREBUILT.includes(name)), ...(bcryptPrebuilt ? ['bcrypt'] : [])],
    downloads: Object.entries(DOWNLOADERS)
      .filter(([pkg]) => installs(project, pkg))
      .map(([pkg, [variable, value]]) => ({ pkg, variable, value })),
  };
}

/**
 * Whether the install gets the package: named in package.json, or in the lockfile, where a
 * workspace package's dev dependency is, and one npm marks devOptional (which even
 * `npm ci --omit=dev` installs).
 */
function installs(project: ProjectFiles, pkg: string): boolean {
  if (pkg in project.dependencies || pkg in project.devDependencies) return true;
  // package-lock.json's "node_modules/cypress", yarn.lock's `cypress@^11`, pnpm's `cypress@11.2.0:`.
  const entry = new RegExp(`node_modules/${pkg}"|^\\s*["'/]?${pkg}@`, 'm');
  return ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'].some((file) => entry.test(project.read(file) ?? ''));
}

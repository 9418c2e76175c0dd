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

export interface NativeFinding {
  /** Production dependencies that may need a compiler to install. */
  compiling: string[];
  /** Those that install prebuilt from the npm registry. */
  prebuilt: string[];
}

export function detectNative(project: ProjectFiles): NativeFinding {
  const deps = Object.keys(project.dependencies);
  const compiling = deps.filter((name) => COMPILING.includes(name));
  // bcrypt 6 and later bundle their prebuilds in the npm package.
  const bcrypt = project.dependencies.bcrypt;
  const bcryptPrebuilt = bcrypt !== undefined && /^[\^~>=]*\s*([6-9]|\d{2})/.test(bcrypt);
  return {
    compiling: compiling.filter((name) => !(name === 'bcrypt' && bcryptPrebuilt)),
    prebuilt: [...deps.filter((name) => PREBUILT.includes(name)), ...(bcryptPrebuilt ? ['bcrypt'] : [])],
  };
}

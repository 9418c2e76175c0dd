/**
 * Which package manager the project uses, at which version, and from which lockfile:
 * the `packageManager` field first (it pins the exact version), else the lockfile's own
 * format (Yarn classic's "# yarn lockfile v1" header against Berry's `__metadata`,
 * pnpm-lock's `lockfileVersion`), else npm without a lockfile.
 */
import { YARN_CLASSIC_VERSION, YARN_VERSION } from '../../container/package-manager-versions.js';
import type { PackageManagerName, PackageManagerSpec } from '../../container/package-managers.js';
import type { ProjectFiles } from './project-files.js';

export interface PackageManagerFinding extends PackageManagerSpec {
  /** The lockfile present, or undefined when the project has none. */
  lockfile: string | undefined;
  /** Where name and version came from, for the findings summary. */
  source: string;
}

const LOCKFILES: readonly [string, PackageManagerName][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * pnpm's lockfileVersion → an exact pnpm release that reads and writes it unchanged (a newer
 * major would rewrite the lockfile, which --frozen-lockfile refuses): 9.0 is pnpm 9 and 10,
 * 6.x is pnpm 8; 5.x is pnpm 7 and older, which installFor refuses with what to pin instead.
 */
function pnpmVersionFor(lockfileVersion: string): string {
  const major = Number.parseFloat(lockfileVersion);
  if (major >= 9) return '10.34.8';
  if (major >= 6) return '8.9.2';
  return '7.33.7';
}

export function detectPackageManager(project: ProjectFiles): PackageManagerFinding {
  const lock = LOCKFILES.find(([file]) => project.has(file));
  const field = /^(npm|pnpm|yarn)@(\d[^+\s]*)/.exec(project.pkg.packageManager ?? '');
  if (field) {
    const name = field[1] as PackageManagerName;
    const lockfile = LOCKFILES.find(([file, manager]) => manager === name && project.has(file))?.[0];
    return { name, version: field[2]!, lockfile, source: `packageManager "${project.pkg.packageManager}"` };
  }
  if (!lock) return { name: 'npm', version: '', lockfile: undefined, source: 'no lockfile' };
  const [lockfile, name] = lock;
  if (name === 'yarn') {
    const text = project.read(lockfile) ?? '';
    // Berry lockfiles are YAML with a __metadata block; classic ones start with this header.
    const classic = text.includes('# yarn lockfile v1') || !text.includes('__metadata:');
    return {
      name,
      version: classic ? YARN_CLASSIC_VERSION : YARN_VERSION,
      lockfile,
      source: `${lockfile} (${classic ? 'Yarn classic v1' : 'Yarn Berry'} format)`,
    };
  }
  if (name === 'pnpm') {
    const version = /^lockfileVersion:\s*'?([\d.]+)'?/m.exec(project.read(lockfile) ?? '')?.[1] ?? '9.0';
    return { name, version: pnpmVersionFor(version), lockfile, source: `${lockfile} (lockfileVersion ${version})` };
  }
  return { name, version: '', lockfile, source: lockfile };
}

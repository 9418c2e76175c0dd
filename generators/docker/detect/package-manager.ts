/**
 * Which package manager the project uses, at which version, and from which lockfile, as
 * package-manager-detector reads them: its table of lockfiles (bun's and deno's included), the
 * `packageManager` field, then `devEngines.packageManager`. The version comes from the field
 * when it pins one, else from the lockfile's own format (Yarn classic's "# yarn lockfile v1"
 * header against Berry's `__metadata`, pnpm-lock's `lockfileVersion`): the manager that wrote
 * the lockfile is the one that may update it.
 *
 * The library's own detect() is asynchronous and walks up past the project; detection here is
 * synchronous and reads the project alone, so it uses the library's table and its reading of
 * the fields, not its directory walk.
 */
import { LOCKS } from 'package-manager-detector/constants';
import { normalizeAgentVersion } from 'package-manager-detector/detect';
import { YARN_CLASSIC_VERSION, YARN_VERSION } from '../../container/package-manager-versions.js';
import { PACKAGE_MANAGERS, type PackageManagerName, type PackageManagerSpec } from '../../container/package-managers.js';
import type { ProjectFiles } from './project-files.js';

export interface PackageManagerFinding extends PackageManagerSpec {
  /** The lockfile present, or undefined when the project has none. */
  lockfile: string | undefined;
  /** Where name and version came from, for the findings summary. */
  source: string;
  /**
   * A manager the image cannot install with (bun, deno): the generator refuses the project
   * rather than install it with npm and write a second lockfile beside the project's own.
   */
  unsupported: string | undefined;
}

/** The lockfiles, in the library's order, that only a manager's own install writes. */
const LOCKFILES = Object.entries(LOCKS).filter(([file]) => !file.endsWith('-workspace.yaml'));

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

/**
 * A Berry lockfile's `__metadata.version` → the Yarn release that writes that version, so the
 * update keeps its format: 8 is Yarn 4, 5 to 7 Yarn 3, 4 and older Yarn 2.
 */
function berryVersionFor(lockfile: string): string {
  const version = Number(/^__metadata:\s*\n\s+version:\s*(\d+)/m.exec(lockfile)?.[1] ?? 8);
  if (version >= 8) return YARN_VERSION;
  return version >= 5 ? '3.8.6' : '2.4.2';
}

/** `packageManager` first (corepack's field, an exact version), then `devEngines.packageManager`. */
function declared(project: ProjectFiles): { name: string; version: string | undefined; source: string } | undefined {
  const { packageManager, devEngines } = project.pkg as { packageManager?: unknown; devEngines?: { packageManager?: unknown } };
  if (typeof packageManager === 'string' && packageManager.includes('@')) {
    const [name = '', version] = packageManager.replace(/^\^/, '').split('@');
    return { name, version: normalizeAgentVersion(version), source: `packageManager "${packageManager}"` };
  }
  // devEngines.packageManager is one entry or a list of them: the first is the preferred one.
  const wanted = [devEngines?.packageManager].flat()[0] as { name?: unknown; version?: unknown } | undefined;
  if (typeof wanted?.name === 'string') {
    const range = typeof wanted.version === 'string' ? wanted.version : undefined;
    const exact = range && /^\d+\.\d+\.\d+$/.test(range) ? range : undefined;
    return { name: wanted.name, version: exact, source: `devEngines.packageManager "${wanted.name}${range ? `@${range}` : ''}"` };
  }
  return undefined;
}

/**
 * A project written for bun that has no bun lockfile yet: its scripts run `bun`, or it types
 * against bun's API (`@types/bun`, `bun-types`), so node would not run it as it is.
 */
function bunWithoutLockfile(project: ProjectFiles): string | undefined {
  const script = Object.entries(project.scripts).find(([, command]) => /(^|&&|;|\|)\s*bunx?\s/.test(command));
  if (script) return `script "${script[0]}" runs bun`;
  const types = ['@types/bun', 'bun-types'].find((name) => name in project.devDependencies || name in project.dependencies);
  return types && `${types} in package.json`;
}

export function detectPackageManager(project: ProjectFiles): PackageManagerFinding {
  const lock = LOCKFILES.find(([file]) => project.has(file));
  const field = declared(project);
  const bun = !lock && !field ? bunWithoutLockfile(project) : undefined;
  if (bun) return { name: 'npm', version: '', lockfile: undefined, source: bun, unsupported: 'bun' };
  const named = field?.name ?? lock?.[1];
  if (named && !(PACKAGE_MANAGERS as readonly string[]).includes(named)) {
    const source = field?.source ?? lock![0];
    return { name: 'npm', version: '', lockfile: lock?.[0], source, unsupported: named };
  }
  const name = (named ?? 'npm') as PackageManagerName;
  const lockfile = LOCKFILES.find(([file, manager]) => manager === name && project.has(file))?.[0];
  if (field?.version && /^\d+\.\d+\.\d+/.test(field.version))
    return { name, version: field.version, lockfile, source: field.source, unsupported: undefined };
  const from = field ? `${field.source}, ` : '';
  if (!lockfile) return { name, version: '', lockfile, source: field?.source ?? 'no lockfile', unsupported: undefined };
  if (name === 'yarn') {
    const text = project.read(lockfile) ?? '';
    // Berry lockfiles are YAML with a __metadata block; classic ones start with this header.
    const classic = text.includes('# yarn lockfile v1') || !text.includes('__metadata:');
    return {
      name,
      version: classic ? YARN_CLASSIC_VERSION : berryVersionFor(text),
      lockfile,
      source: `${from}${lockfile} (${classic ? 'Yarn classic v1' : 'Yarn Berry'} format)`,
      unsupported: undefined,
    };
  }
  if (name === 'pnpm') {
    const version = /^lockfileVersion:\s*'?([\d.]+)'?/m.exec(project.read(lockfile) ?? '')?.[1] ?? '9.0';
    return {
      name,
      version: pnpmVersionFor(version),
      lockfile,
      source: `${from}${lockfile} (lockfileVersion ${version})`,
      unsupported: undefined,
    };
  }
  return { name, version: '', lockfile, source: `${from}${lockfile}`, unsupported: undefined };
}

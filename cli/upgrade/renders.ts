/**
 * The two renders an upgrade merges between: what a version of create-container-api writes
 * for a project's recorded answers, made in a scratch folder by that version's own bin. The
 * recorded version comes from the registry the user's npm is configured for, through npm.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The published name of the bundled bin: one small tarball, nothing to install. */
export const CREATE_PACKAGE = 'create-container-api';

export interface Seed {
  /** The project the render answers for. */
  project: string;
  /** `--existing` projects are rendered on a copy of the app (their detection reads it). */
  existing: boolean;
}

/** A scratch folder: for a new project only its .yo-rc.json, else the app without our install state. */
function seeded({ project, existing }: Seed, into: string): string {
  const dir = path.join(into, path.basename(project));
  mkdirSync(dir, { recursive: true });
  if (existing) {
    cpSync(project, dir, { recursive: true, filter: (source) => !/(^|[\\/])(node_modules|\.git)$/.test(source) });
  } else {
    cpSync(path.join(project, '.yo-rc.json'), path.join(dir, '.yo-rc.json'));
  }
  return dir;
}

/**
 * Runs a create-container-api bin on a seeded copy with `--yes`: the stored answers are the
 * defaults it takes. `flags` are the ones only that version knows. Returns the folder it wrote.
 */
export function render(bin: string, seed: Seed, label: string, flags: readonly string[] = []): string {
  const dir = seeded(seed, mkdtempSync(path.join(os.tmpdir(), `container-api-${label}-`)));
  const args = [bin, ...(seed.existing ? ['--existing'] : []), dir, '--yes', '--skip-install', '--force', ...flags];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 5 * 60_000 });
  if (run.status !== 0) {
    throw new Error(`the ${label} render failed (${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' / ')}`);
  }
  return dir;
}

/**
 * The bin of `CREATE_PACKAGE@version`, unpacked from `npm pack` (npm's own registry
 * settings, cache and credentials apply). Throws with npm's reason when it cannot be had.
 */
export function fetchVersion(version: string): { bin: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'container-api-base-'));
  const spec = `${CREATE_PACKAGE}@${version}`;
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', dir, '--loglevel=error'], { encoding: 'utf8', timeout: 2 * 60_000 });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (pack.status !== 0 || !tarball) {
    // npm's first error line says why (404, ECONNREFUSED, E401), the rest how to read its log.
    const said = [...pack.stderr.matchAll(/^npm error (.+)$/gm)].map((m) => m[1]!).filter((line) => !line.startsWith('code '));
    const reason = pack.error?.message ?? said[0] ?? `npm pack exited ${pack.status}`;
    throw new Error(`npm could not fetch ${spec} (${reason.trim()})`);
  }
  const untar = spawnSync('tar', ['-xzf', path.join(dir, tarball), '-C', dir], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`could not unpack ${tarball}: ${untar.stderr.trim()}`);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package', 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  const file = bin && path.join(dir, 'package', bin);
  if (!file || !existsSync(file)) throw new Error(`${spec} has no bin to run`);
  return { bin: file, dir };
}

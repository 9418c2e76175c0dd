/**
 * `--package-manager pnpm` run from npm pins the pnpm on the user's PATH (8 or later), so pnpm
 * never switches itself to another version on the first install, and says which it pinned.
 * The PATH holds a stand-in `pnpm` that answers --version; no pnpm runs an install here.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNPM_VERSION } from '../../generators/container/package-manager-versions.js';
import { generate } from '../support/generate.js';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'pnpm-pin-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A folder with a `pnpm` whose --version prints `version`; an empty folder for none. */
function pathWithPnpm(version: string | undefined): string {
  const bin = path.join(work, `bin-${version ?? 'none'}`);
  mkdirSync(bin, { recursive: true });
  if (version) {
    writeFileSync(path.join(bin, 'pnpm'), `#!/bin/sh\n[ "$1" = --version ] && echo ${version}\n`);
    chmodSync(path.join(bin, 'pnpm'), 0o755);
  }
  // Only the stand-in: the machine's own PATH might hold a real pnpm.
  return bin;
}

function create(name: string, version: string | undefined) {
  const target = path.join(work, name);
  const env = { ...process.env, PATH: pathWithPnpm(version), npm_config_user_agent: 'npm/11.6.2 node/v24.22.3 linux x64' };
  const result = generate(target, ['--yes', '--skip-install', '--package-manager', 'pnpm'], { env });
  const pkg = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8')) as { packageManager: string };
  return { target, result, pkg };
}

it('pins the pnpm on the PATH, says so, and the image installs that one', () => {
  const { target, result, pkg } = create('path-pnpm', '10.20.0');
  expect(pkg.packageManager).toBe('pnpm@10.20.0');
  expect(result.stdout).toContain('  package-manager  pnpm (pins pnpm@10.20.0: the pnpm on your PATH)  (flag)');
  expect(readFileSync(path.join(target, 'Dockerfile'), 'utf8')).toContain('npm install --global --no-audit --no-fund pnpm@10.20.0');
});

it.each([
  ['no pnpm', undefined, 'no pnpm on your PATH'],
  ['pnpm 7.33.0', '7.33.0', 'your PATH has pnpm 7.33.0, older than 8'],
])('with %s on the PATH, pins the known version and says why', (_label, version, reason) => {
  const { pkg, result } = create(`pnpm-${version ?? 'none'}`, version);
  expect(pkg.packageManager).toBe(`pnpm@${PNPM_VERSION}`);
  expect(result.stdout).toContain(`(pins pnpm@${PNPM_VERSION}: ${reason})`);
});

it('a re-run keeps the pin the project has, whatever pnpm the PATH has now', () => {
  const first = create('re-run', '9.15.9');
  expect(first.pkg.packageManager).toBe('pnpm@9.15.9');
  const again = create('re-run', '10.20.0');
  expect(again.pkg.packageManager).toBe('pnpm@9.15.9');
  expect(again.result.stdout).toContain('(pins pnpm@9.15.9: as package.json pins it)');
});

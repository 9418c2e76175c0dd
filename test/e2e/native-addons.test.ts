/**
 * One Dockerfile builds the image for linux/amd64 and linux/arm64, and no stage has a
 * compiler. That holds only while no production dependency is a native addon: SQLite is
 * Node's own `node:sqlite`, and the rest must be plain JavaScript. This installs the
 * production tree exactly as the Dockerfile's prod-deps stage does (`npm ci --omit=dev` from
 * sample-api's lockfile) and looks in it for what a native addon brings: compiled `.node`
 * files, a `binding.gyp` (npm then runs node-gyp on install), `gypfile: true`, or an install
 * script (how prebuilt-binary downloaders hook in).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

/** name/package.json, @scope/name/package.json, and the same nested under node_modules/. */
const PACKAGE_MANIFEST = /^(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*\/package\.json$/;

/** Every package.json of an installed package under node_modules (nested ones included). */
function installedPackages(nodeModules: string): string[] {
  return (readdirSync(nodeModules, { recursive: true }) as string[])
    .filter((file) => PACKAGE_MANIFEST.test(file.split(path.sep).join('/')))
    .map((file) => path.join(nodeModules, file));
}

/** What in an installed tree needs a compiler or runs code on install, one line each. */
function nativeAddonSigns(nodeModules: string): string[] {
  const signs: string[] = [];
  for (const file of readdirSync(nodeModules, { recursive: true }) as string[]) {
    if (file.endsWith('.node')) signs.push(`compiled addon ${file}`);
    if (path.basename(file) === 'binding.gyp') signs.push(`node-gyp build file ${file}`);
  }
  for (const manifest of installedPackages(nodeModules)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; gypfile?: boolean; scripts?: Record<string, string> };
    if (pkg.gypfile) signs.push(`${pkg.name}: gypfile: true`);
    for (const script of INSTALL_SCRIPTS) if (pkg.scripts?.[script]) signs.push(`${pkg.name}: ${script} script "${pkg.scripts[script]}"`);
  }
  return signs.sort();
}

/** The packages npm itself reports as having an install step (scripts or node-gyp). */
function npmQueryInstallSteps(cwd: string): string[] {
  const selector = ':attr(scripts, [preinstall]), :attr(scripts, [install]), :attr(scripts, [postinstall]), [gypfile=true]';
  return (JSON.parse(run('npm', ['query', selector], { cwd }).stdout) as { name: string }[]).map((p) => p.name).sort();
}

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'native-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("sample-api's production dependencies", () => {
  it(
    'install as the Dockerfile installs them, with no native addon and no install script among them',
    () => {
      const app = path.join(work, 'app');
      mkdirSync(app);
      for (const file of ['package.json', 'package-lock.json']) cpSync(path.join(REPO_ROOT, 'sample-api', file), path.join(app, file));
      // --ignore-scripts: look at what would run, without running it.
      run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, timeout: 5 * MINUTES });
      const nodeModules = path.join(app, 'node_modules');
      const packages = installedPackages(nodeModules);
      // The tree is really there: express, pino, zod and their dependencies.
      expect(packages.length).toBeGreaterThan(40);
      for (const name of ['express', 'helmet', 'pino', 'pino-http', 'zod']) {
        expect(packages).toContain(path.join(nodeModules, name, 'package.json'));
      }
      expect(nativeAddonSigns(nodeModules)).toEqual([]);
      // npm's own view agrees: no installed package asks for an install step.
      expect(npmQueryInstallSteps(app)).toEqual([]);
    },
    6 * MINUTES,
  );
});

describe('the native addon check', () => {
  it('finds each sign of a native addon in a tree that has one', () => {
    const nodeModules = path.join(work, 'fixture', 'node_modules');
    const addon = path.join(nodeModules, '@acme', 'fast-hash');
    mkdirSync(path.join(addon, 'build', 'Release'), { recursive: true });
    writeFileSync(
      path.join(addon, 'package.json'),
      JSON.stringify({ name: '@acme/fast-hash', gypfile: true, scripts: { install: 'node-gyp rebuild' } }),
    );
    writeFileSync(path.join(addon, 'binding.gyp'), '{"targets": []}');
    writeFileSync(path.join(addon, 'build', 'Release', 'fast_hash.node'), '');
    const downloader = path.join(nodeModules, 'prebuilt-thing');
    mkdirSync(downloader, { recursive: true });
    writeFileSync(
      path.join(downloader, 'package.json'),
      JSON.stringify({ name: 'prebuilt-thing', scripts: { postinstall: 'node fetch-binary.js' } }),
    );
    // And npm's query, on a tree that has such packages: this repository's own (yo has a postinstall).
    expect(npmQueryInstallSteps(REPO_ROOT)).toContain('yo');
    expect(nativeAddonSigns(nodeModules)).toEqual([
      '@acme/fast-hash: gypfile: true',
      '@acme/fast-hash: install script "node-gyp rebuild"',
      'compiled addon @acme/fast-hash/build/Release/fast_hash.node',
      'node-gyp build file @acme/fast-hash/binding.gyp',
      'prebuilt-thing: postinstall script "node fetch-binary.js"',
    ]);
  });
});

/**
 * Generators that know their own names: each keeps its answers in its own section of
 * .yo-rc.json, and none replaces files another of ours (or the user) wrote. The first case is
 * the loss this was made for: after `--existing`, a plain `create-container-api . --force`
 * used to replace the app's package.json and write src/*.ts into it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { snapshot } from '../support/tree.js';
import { REPO_ROOT } from '../support/paths.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/existing/js-cjs-npm');
const KEY = 'generator-container-api';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'identity-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function containerized(name: string): string {
  const dir = path.join(work, name);
  cpSync(FIXTURE, dir, { recursive: true });
  // A lockfile already there: the run needs no package manager (and --skip-install runs none).
  generate(dir, ['--existing', '--yes', '--skip-install']);
  return dir;
}

describe('after --existing, the app generator refuses the project', () => {
  it('create-container-api . --yes --force writes nothing and names the generator that set it up', () => {
    const dir = containerized('forced');
    const before = snapshot(dir);
    const result = generate(dir, ['--yes', '--force', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('was set up by create-container-api --existing');
    expect(result.stderr).toContain('Nothing was written, with or without --force');
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, 'src/app.ts'))).toBe(false);
  });

  it('stores its answers in a section of its own, with the version that wrote them', () => {
    const dir = containerized('sections');
    const stored = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))[KEY];
    expect(Object.keys(stored)).toEqual([':docker']);
    expect(stored[':docker'].version).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
    expect(stored[':docker'].answers).toMatchObject({ start: 'src/server.js', 'package-manager': 'npm' });
  });
});

describe('a project made by the app generator', () => {
  it('--existing refuses it: its container files are the app generator’s', () => {
    const dir = path.join(work, 'made');
    generate(dir, ['--yes', '--skip-install']);
    const before = snapshot(dir);
    const result = generate(dir, ['--existing', '--yes', '--force', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('was set up by create-container-api (see .yo-rc.json)');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('projects stored under the old shared key (0.1 and earlier)', () => {
  /** Rewrites .yo-rc.json the way releases up to 0.1 stored answers: flat under the package's key. */
  function toLegacy(dir: string, rename: Record<string, string> = {}): void {
    const file = path.join(dir, '.yo-rc.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'))[KEY];
    const [section] = Object.values(stored) as { answers: Record<string, unknown> }[];
    const flat = Object.fromEntries(Object.entries(section!.answers).map(([k, v]) => [rename[k] ?? k, v]));
    writeFileSync(file, `${JSON.stringify({ [KEY]: flat }, null, 2)}\n`);
  }

  it('an app project re-runs with nothing to change, and moves its answers into its section', () => {
    const dir = path.join(work, 'legacy-app');
    generate(dir, ['--yes', '--skip-install', '--port', '8123']);
    toLegacy(dir);
    const result = generate(dir, ['--skip-install']);
    expect(result.status).toBe(0);
    const stored = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))[KEY];
    expect(Object.keys(stored)).toEqual([':app']);
    expect(stored[':app'].answers.port).toBe(8123);
    expect(readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toContain('127.0.0.1:${HOST_PORT:-8123}:8123');
  });

  it('an --existing project re-runs, its old `manager` answer read as --package-manager; the app generator still refuses it', () => {
    const dir = containerized('legacy-existing');
    toLegacy(dir, { 'package-manager': 'manager' });
    const refused = generate(dir, ['--yes', '--force', '--skip-install'], { allowFail: true });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('was set up by create-container-api --existing');
    const rerun = generate(dir, ['--existing', '--skip-install']);
    expect(rerun.status).toBe(0);
    const stored = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))[KEY];
    expect(Object.keys(stored)).toEqual([':docker']);
    expect(stored[':docker'].answers['package-manager']).toBe('npm');
  });
});

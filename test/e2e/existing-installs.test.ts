/**
 * Two shapes of real projects that containerizing once broke (issue 31), with the generator's
 * real install (npx of the lockfile's own manager, from the npm registry): a Yarn 1 project on
 * a machine whose `yarn` is Yarn 4, and a project with native addons, whose lockfile must be
 * updated without building anything on the host. The rest of those shapes, which need no
 * registry, are test/generator/existing-shapes.test.ts.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { YARN_CLASSIC_VERSION } from '../../generators/container/package-manager-versions.js';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES } from '../support/run.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/existing');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'existing-installs-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = mkdtempSync(path.join(work, `${name}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

describe('a Yarn 1 project (v1 yarn.lock, no packageManager) on a machine whose yarn is Yarn 4', () => {
  let dir = '';
  let result: ReturnType<typeof generate>;
  const binMode = 0o644;

  beforeAll(() => {
    dir = copy('yarn-classic');
    // The app's own command-line script, not executable, as the project keeps it.
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ ...pkg, bin: { 'fixture-tool': 'bin/tool.js' } }, null, 2)}\n`);
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin/tool.js'), "#!/usr/bin/env node\nconsole.log('tool');\n");
    chmodSync(path.join(dir, 'bin/tool.js'), binMode);
    // The `yarn` this machine's PATH finds is Yarn 4: what running "the" yarn would get.
    const shims = mkdtempSync(path.join(work, 'shims-'));
    writeFileSync(path.join(shims, 'yarn'), '#!/bin/sh\nexec npx --yes --package @yarnpkg/cli-dist@4.18.1 -- yarn "$@"\n', { mode: 0o755 });
    result = generate(dir, ['--existing', '--yes'], {
      env: { ...process.env, PATH: `${shims}${path.delimiter}${process.env.PATH}` },
      timeout: 5 * MINUTES,
      allowFail: true,
    });
  }, 6 * MINUTES);

  it('runs Yarn 1 itself (npx yarn@1), which adds testcontainers and keeps the v1 lockfile format', () => {
    expect(result.status).toBe(0);
    expect(result.output).toContain(`npx --yes --package yarn@${YARN_CLASSIC_VERSION} -- yarn install --ignore-scripts`);
    const lockfile = readFileSync(path.join(dir, 'yarn.lock'), 'utf8');
    expect(lockfile).toContain('# yarn lockfile v1');
    expect(lockfile).not.toContain('__metadata:');
    expect(lockfile).toMatch(/^testcontainers@/m);
  });

  it("leaves the mode of the app's own bin script as it was", () => {
    expect(statSync(path.join(dir, 'bin/tool.js')).mode & 0o777).toBe(binMode);
  });
});

describe('native addons on a host that cannot build them', () => {
  it(
    'the lockfile is updated alone (npm install --package-lock-only): nothing is installed or built on the host',
    () => {
      const dir = copy('native');
      const result = generate(dir, ['--existing', '--yes'], { timeout: 5 * MINUTES });
      expect(result.output).toContain('npm install --package-lock-only --ignore-scripts');
      const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
      expect(lock.packages['node_modules/testcontainers']).toMatchObject({ dev: true });
      expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
    },
    6 * MINUTES,
  );
});

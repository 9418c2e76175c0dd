/**
 * Three shapes of real projects that containerizing once broke (issue 31): an app that reads
 * a Markdown file at run time; a Yarn 1 project on a machine whose `yarn` is Yarn 4; a project
 * with native addons, whose lockfile must be updated without building anything on the host.
 * These run the generator's real install (npx of the lockfile's own manager, from the npm
 * registry); scripts/existing-check.mjs proves the first one on the engine.
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
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'existing-shapes-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = mkdtempSync(path.join(work, `${name}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n');

describe('an app that reads a Markdown file at run time (its config names ./about.md)', () => {
  it('.dockerignore leaves out the documentation by name, and the page the app reads stays in the context', () => {
    const dir = copy('reads-markdown');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const ignore = lines(path.join(dir, '.dockerignore'));
    expect(ignore).toEqual(expect.arrayContaining(['CHANGELOG.md', 'README.md', 'docs/']));
    expect(ignore.filter((line) => /\.md|\*/.test(line) && !line.startsWith('#'))).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(\*\*\/)?\*\.md$|about/)]),
    );
  });

  it('a known name the code reads (README.md served at /) stays in', () => {
    const dir = copy('reads-markdown');
    writeFileSync(
      path.join(dir, 'readme-route.js'),
      "module.exports = require('node:fs').readFileSync(`${__dirname}/README.md`, 'utf8');\n",
    );
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const ignore = lines(path.join(dir, '.dockerignore'));
    expect(ignore).toContain('CHANGELOG.md');
    expect(ignore).not.toContain('README.md');
  });
});

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

  it(
    'when even that fails, the Docker files stay written and one line says what to run',
    () => {
      const dir = copy('native');
      const before = readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
      // A registry nobody answers: the update cannot fetch testcontainers' metadata.
      const env = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' };
      const result = generate(dir, ['--existing', '--yes'], { env, timeout: 5 * MINUTES, allowFail: true });
      expect(result.status).toBe(0);
      for (const file of ['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md'])
        expect(existsSync(path.join(dir, file))).toBe(true);
      const told = result.output.split('\n').filter((line) => line.includes('failed above'));
      expect(told).toEqual([
        '  npm install --ignore-scripts   # failed above (npm install --package-lock-only --ignore-scripts --no-audit --no-fund): adds testcontainers to package-lock.json, which the image installs from',
      ]);
      expect(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).toBe(before);
    },
    6 * MINUTES,
  );
});

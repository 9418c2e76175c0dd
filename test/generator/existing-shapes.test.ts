/**
 * Three shapes of real projects that containerizing once broke (issue 31): an app that reads
 * a Markdown file at run time; a Yarn 1 project on a machine whose `yarn` is Yarn 4; a project
 * with native addons, whose lockfile must be updated without building anything on the host.
 * The two that install from the npm registry (the lockfile's own manager through npx) are
 * test/e2e/existing-installs.test.ts: the fast tests stay off the network. Here: the
 * Markdown app, and the native-addon project when the lockfile update fails.
 * scripts/existing-check.mjs proves the first one on the engine.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('native addons on a host that cannot build them', () => {
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

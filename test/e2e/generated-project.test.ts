/**
 * The promise to users: generate, install, and the project's own tests pass, the
 * container tests included (a real image built and real containers run on the engine).
 * The default configuration is tested as committed in sample-api/ (which the drift test
 * keeps identical to a fresh run), installed from its lockfile as a clone would be.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';

/** Configurations whose container tests run here; the unit-test matrix covers the rest. */
const VARIANTS: { label: string; flags: string[] }[] = [
  { label: 'node22-distroless-open', flags: ['--node', '22', '--runtime', 'distroless', '--auth', 'none'] },
  { label: 'node26-in-memory', flags: ['--node', '26', '--persistence', 'none'] },
];

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'e2e-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('sample-api, as committed', () => {
  it(
    'installs from its lockfile and passes its own tests, container tests included',
    () => {
      const sample = path.join(work, 'sample-api');
      cpSync(path.join(REPO_ROOT, 'sample-api'), sample, {
        recursive: true,
        filter: (source) => !/[/\\](node_modules|dist|data|secrets)$/.test(source),
      });
      run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: sample });
      const output = run('npm', ['test'], { cwd: sample, timeout: 25 * MINUTES }).output;
      expect(output).toMatch(/PASS .*test\/unit\//);
      expect(output).toMatch(/PASS .*test\/container\//);
      expect(output).not.toMatch(/FAIL /);
    },
    35 * MINUTES,
  );
});

describe.each(VARIANTS)('a generated project ($label)', ({ label, flags }) => {
  let project = '';

  it(
    'is generated and installed by create-container-api',
    () => {
      project = path.join(work, `e2e-${label}`);
      const output = generate(project, ['--yes', '--name', `e2e-${label}`, '--port', '8090', ...flags], { cwd: work }).output;
      // The install's own lines are kept back unless it fails: its result line, and what it installed.
      expect(output).toMatch(/^✔ Installed dependencies with npm \(\d+ s\)$/m);
      expect(existsSync(path.join(project, 'node_modules', 'express', 'package.json'))).toBe(true);
      expect(existsSync(path.join(project, 'package-lock.json'))).toBe(true);
    },
    10 * MINUTES,
  );

  it(
    'passes its own tests: type-check, unit tests, and container tests on the engine',
    () => {
      const output = run('npm', ['test'], { cwd: project, timeout: 25 * MINUTES }).output;
      expect(output).toMatch(/PASS .*test\/unit\//);
      expect(output).toMatch(/PASS .*test\/container\//);
      expect(output).not.toMatch(/FAIL /);
    },
    25 * MINUTES,
  );
});

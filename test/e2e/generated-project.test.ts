/**
 * The promise to users: generate, install, and the project's own tests pass, the
 * container tests included (a real image built and real containers run on the engine).
 * The default configuration is tested as committed in sample-api/ (which the drift test
 * keeps identical to a fresh run), installed from its lockfile as a clone would be.
 *
 * Each project installs and runs its tests on the Node line it was generated for (the newest
 * release of it), and prints no warning there: no-warnings.test.ts holds install, type-check,
 * lints, build and unit tests to that on all three lines, and these runs add the container
 * tests, the one part that starts the engine, on each of them.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { newest, nodeBinary, onNode } from '../support/node-lines.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';
import { warnings } from '../support/warnings.js';

/** Configurations whose container tests run here; the unit-test matrix covers the rest. */
const VARIANTS: { label: string; node: string; flags: string[] }[] = [
  { label: 'node22-distroless-open', node: '22', flags: ['--runtime', 'distroless', '--auth', 'none'] },
  { label: 'node26-in-memory', node: '26', flags: ['--persistence', 'none'] },
];

/** npm, and everything it starts, on the newest release of a Node line. */
const onLine = (line: string) => onNode(nodeBinary(newest(line)));

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
      const env = onLine('24');
      run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: sample, env });
      const output = run('npm', ['test'], { cwd: sample, env, timeout: 25 * MINUTES }).output;
      expect(output).toMatch(/PASS .*test\/unit\//);
      expect(output).toMatch(/PASS .*test\/container\//);
      expect(output).not.toMatch(/FAIL /);
      expect(warnings(output)).toEqual([]);
    },
    35 * MINUTES,
  );
});

describe.each(VARIANTS)('a generated project ($label)', ({ label, node, flags }) => {
  let project = '';
  let env: NodeJS.ProcessEnv = {};

  it(
    'is generated and installed by create-container-api',
    () => {
      project = path.join(work, `e2e-${label}`);
      env = onLine(node);
      const args = ['--yes', '--name', `e2e-${label}`, '--port', '8090', '--node', node, ...flags];
      const output = generate(project, args, { cwd: work, env }).output;
      // The install's own lines are kept back unless it fails: its result line, and what it installed.
      expect(output).toMatch(/^✔ Installed dependencies with npm \((?:\d+ min )?\d+ s\)$/m);
      expect(existsSync(path.join(project, 'node_modules', 'express', 'package.json'))).toBe(true);
      expect(existsSync(path.join(project, 'package-lock.json'))).toBe(true);
    },
    10 * MINUTES,
  );

  it(
    `passes its own tests on Node ${node} without a warning: type-check, unit tests, and container tests on the engine`,
    () => {
      const output = run('npm', ['test'], { cwd: project, env, timeout: 25 * MINUTES }).output;
      expect(output).toMatch(/PASS .*test\/unit\//);
      expect(output).toMatch(/PASS .*test\/container\//);
      expect(output).not.toMatch(/FAIL /);
      expect(run('node', ['--version'], { env }).stdout).toMatch(new RegExp(`^v${node}\\.`));
      expect(warnings(output)).toEqual([]);
    },
    25 * MINUTES,
  );
});

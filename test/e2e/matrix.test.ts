/**
 * Every combination of node × runtime × persistence × auth generates a project that
 * type-checks and passes its unit tests. No Docker here: the container tests of chosen
 * combinations run in generated-project.test.ts.
 *
 * Dependencies are installed once per Node line (only @types/node and engines differ
 * between lines) and linked into each project; the test checks that sharing is sound.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUTH, NODE_LINES, PERSISTENCE, RUNTIMES } from '../../generators/app/project.js';
import { generate } from '../support/generate.js';
import { MINUTES, run } from '../support/run.js';

const COMBINATIONS = NODE_LINES.flatMap((node) =>
  RUNTIMES.flatMap((runtime) => PERSISTENCE.flatMap((persistence) => AUTH.map((auth) => ({ node, runtime, persistence, auth })))),
);

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'matrix-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function generateInto(dir: string, flags: string[]) {
  generate(dir, ['--yes', '--skip-install', ...flags], { cwd: work });
}

function dependencies(dir: string) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return { dependencies: pkg.dependencies, devDependencies: pkg.devDependencies };
}

/** One npm install per Node line, shared by that line's combinations. */
const installed = new Map<string, string>();
function installFor(node: string): string {
  let dir = installed.get(node);
  if (!dir) {
    dir = path.join(work, `deps-node${node}`);
    generateInto(dir, ['--node', node]);
    run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir });
    installed.set(node, dir);
  }
  return dir;
}

describe.each(COMBINATIONS)('--node $node --runtime $runtime --persistence $persistence --auth $auth', (combo) => {
  it(
    'type-checks and passes its unit tests',
    () => {
      const flags = Object.entries(combo).flatMap(([flag, value]) => [`--${flag}`, value]);
      const project = path.join(work, Object.values(combo).join('-'));
      generateInto(project, flags);

      const deps = installFor(combo.node);
      expect(dependencies(project)).toEqual(dependencies(deps));
      symlinkSync(path.join(deps, 'node_modules'), path.join(project, 'node_modules'), 'dir');

      run('npm', ['run', 'typecheck'], { cwd: project });
      const output = run('npm', ['run', 'test:unit'], { cwd: project }).output;
      expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
      expect(output).not.toMatch(/failed/);
    },
    10 * MINUTES,
  );
});

/**
 * Every combination of node × runtime × persistence × auth generates a project that
 * type-checks, and whose unit tests pass on that Node line. No Docker here: the container
 * tests of chosen combinations run in generated-project.test.ts, and pnpm's and Yarn's in
 * registry.test.ts.
 *
 * Dependencies are installed once per Node line (only @types/node and engines differ
 * between lines) and linked into each project; the test checks that sharing is sound.
 *
 * The runtime changes the Dockerfile and the container tests, never src/ or the unit tests:
 * so each combination type-checks on its own, and the unit tests run once for the two
 * runtimes of a node × persistence × auth, after the test has checked that everything they
 * read is the same byte for byte in both. They run on the line's own Node release (the
 * newest of it), which is what --node promises they will meet.
 *
 * The package manager is an axis of its own, not multiplied by the others: it changes no
 * source or unit test, only package.json, its own config files, the Dockerfile, CI, docs and
 * test/container/image.test.ts, whose branches follow --runtime, --persistence and --auth.
 * So pnpm and Yarn each type-check (container tests included) and unit-test with every value
 * of those three once, in two complementary combinations, installed by the manager itself
 * into its own node_modules layout. test/generator/variants.test.ts renders and parses every
 * combination of every axis, the manager included.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUTH, PERSISTENCE } from '../../generators/app/project.js';
import { NODE_LINES, RUNTIMES } from '../../generators/container/node.js';
import { PNPM_VERSION, YARN_VERSION } from '../../generators/container/package-manager-versions.js';
import { generate } from '../support/generate.js';
import { newest, nodeBinary, onNode } from '../support/node-lines.js';
import { MINUTES, run } from '../support/run.js';

// postgres has dependencies of its own (pg, @testcontainers/postgresql), so it cannot share the
// installs here: test/e2e/postgres.test.ts installs, type-checks and unit-tests it.
const MATRIX_PERSISTENCE = PERSISTENCE.filter((persistence) => persistence !== 'postgres');
// One case per node × persistence × auth; each takes both runtimes.
const GROUPS = NODE_LINES.flatMap((node) => MATRIX_PERSISTENCE.flatMap((persistence) => AUTH.map((auth) => ({ node, persistence, auth }))));

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

/** What the unit tests read besides node_modules, as one digest: their config, src/ and test/unit/. */
function unitTestInputs(dir: string): string {
  const hash = createHash('sha256');
  const files = ['jest.config.js', ...['src', 'test/unit'].flatMap((folder) => filesUnder(dir, folder))];
  for (const file of files.sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(dir, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

function filesUnder(dir: string, folder: string): string[] {
  return readdirSync(path.join(dir, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe.each(GROUPS)('--node $node --persistence $persistence --auth $auth', (group) => {
  it(
    `type-checks with each runtime and passes its unit tests on Node ${group.node}`,
    () => {
      const deps = installFor(group.node);
      const projects = RUNTIMES.map((runtime) => {
        const combo = { ...group, runtime };
        const flags = Object.entries(combo).flatMap(([flag, value]) => [`--${flag}`, value]);
        const project = path.join(work, Object.values(combo).join('-'));
        generateInto(project, flags);
        expect(dependencies(project)).toEqual(dependencies(deps));
        symlinkSync(path.join(deps, 'node_modules'), path.join(project, 'node_modules'), 'dir');
        run('npm', ['run', 'typecheck'], { cwd: project });
        return project;
      });

      const [first, ...others] = projects as [string, ...string[]];
      for (const other of others) expect(unitTestInputs(other)).toBe(unitTestInputs(first));
      const env = onNode(nodeBinary(newest(group.node)));
      expect(run('node', ['--version'], { env }).stdout).toMatch(new RegExp(`^v${group.node}\\.`));
      const output = run('npm', ['run', 'test:unit'], { cwd: first, env }).output;
      expect(output).toMatch(/Tests:\s+(?:\d+ skipped, )?\d+ passed, \d+ total/);
      expect(output).not.toMatch(/failed/);
    },
    10 * MINUTES,
  );
});

const MANAGER_COMBINATIONS = (['pnpm', 'yarn'] as const).flatMap((pm) => [
  { pm, node: pm === 'pnpm' ? '22' : '26', runtime: 'slim', persistence: 'sqlite', auth: 'token' },
  { pm, node: '24', runtime: 'distroless', persistence: 'none', auth: 'none' },
]);

/** Each manager, at the version the generator pins, in a prefix of the test's own. */
const tools = new Map<string, string>();
function toolFor(pm: 'pnpm' | 'yarn'): string {
  let bin = tools.get(pm);
  if (!bin) {
    const prefix = path.join(work, `${pm}-tool`);
    const pkg = pm === 'pnpm' ? `pnpm@${PNPM_VERSION}` : `@yarnpkg/cli-dist@${YARN_VERSION}`;
    run('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', pkg]);
    bin = path.join(prefix, 'bin', pm);
    tools.set(pm, bin);
  }
  return bin;
}

describe.each(MANAGER_COMBINATIONS)(
  '--package-manager $pm --node $node --runtime $runtime --persistence $persistence --auth $auth',
  ({ pm, ...combo }) => {
    it(
      `installs with ${pm}, type-checks and passes its unit tests`,
      () => {
        const flags = Object.entries({ ...combo, 'package-manager': pm }).flatMap(([flag, value]) => [`--${flag}`, value]);
        const project = path.join(work, `${pm}-${Object.values(combo).join('-')}`);
        generateInto(project, flags);
        const bin = toolFor(pm);
        const env = { ...process.env, PATH: `${path.dirname(bin)}:${process.env.PATH}`, YARN_ENABLE_TELEMETRY: '0' };
        // The first install writes the lockfile, which Yarn forbids under CI=true unless told.
        run(bin, ['install'], { cwd: project, env: { ...env, YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' } });
        run(bin, ['run', 'typecheck'], { cwd: project, env });
        const output = run(bin, ['run', 'test:unit'], { cwd: project, env }).output;
        expect(output).toMatch(/Tests:\s+(?:\d+ skipped, )?\d+ passed, \d+ total/);
        expect(output).not.toMatch(/failed/);
      },
      10 * MINUTES,
    );
  },
);

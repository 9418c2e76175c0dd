/**
 * Existing projects on the engine: each fixture under test/fixtures/existing is copied,
 * containerized with `create-container-api --existing --yes` (plus the flags a user of that
 * shape would give), and proven by what the generator wrote for it. npm fixtures run their
 * own container test (`npm run test:container`: build, non-root, healthy, the health route or
 * port, docker stop), in the project's own runner where it has one (Jest, Vitest, Mocha);
 * the pnpm and Yarn ones, whose managers this machine's host may lack, go through
 * scripts/existing-check.mjs, which needs only Docker. The monorepo fixtures have one
 * package containerized with --workspace, and the image is shown to hold none of the other
 * packages' dependencies. Run under the engine lock.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/existing');
const CHECK = path.join(REPO_ROOT, 'scripts/existing-check.mjs');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'existing-e2e-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = path.join(work, name);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/**
 * What the generator's last lines tell the user to run before the container test: it updates
 * the lockfile only (nothing is built on the host), and the test needs testcontainers here.
 */
function installHere(dir: string): void {
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, timeout: 5 * MINUTES });
}

/** What a node script prints as JSON, run in a throwaway container of the image. */
function nodeIn(image: string, script: string): unknown {
  return JSON.parse(run('docker', ['run', '--rm', '--entrypoint', 'node', image, '-e', script]).stdout);
}

/** The image the container test built, removed with the test's own tag. */
function removeImage(slug: string): void {
  run('docker', ['image', 'rm', '-f', `${slug}:container-test`], { allowFail: true });
}

describe.each([
  ['js-cjs-npm', [], 'serves GET /api/health'],
  ['native', ['--runtime', 'distroless', '--health', '/health'], 'serves GET /health'],
  ['no-health', [], 'accepts connections on the mapped port (no health route: TCP only)'],
  ['ignores-sigterm', [], 'exit code 0 (docker/graceful-stop.mjs)'],
  ['sigterm-logs-only', [], 'exit code 0 (docker/graceful-stop.mjs)'],
  ['sigterm-reraises', [], 'exit code 0 (docker/graceful-stop.mjs)'],
  // fastify start app.js: node runs fastify-cli's bin, which listens on FASTIFY_ADDRESS and stops on SIGTERM.
  ['fastify-cli', [], 'serves GET /health'],
] as const)('%s, containerized with --yes %j', (name, flags, proof) => {
  it(
    'passes the container test written for it',
    () => {
      const dir = copy(name);
      generate(dir, ['--existing', '--yes', ...flags], { timeout: 5 * MINUTES });
      installHere(dir);
      const result = run('npm', ['run', 'test:container'], { cwd: dir, timeout: 8 * MINUTES, allowFail: true });
      removeImage(`fixture-${name}`);
      expect(result.output).toContain(proof);
      expect(result.output).toMatch(/ℹ fail 0/);
      expect(result.ok).toBe(true);
    },
    15 * MINUTES,
  );
});

describe('an app that exits at startup', () => {
  it(
    'fails its container test with the last of the container output, even though the container is gone',
    () => {
      const dir = path.join(work, 'exits-at-startup');
      cpSync(path.join(FIXTURES, 'js-cjs-npm'), dir, { recursive: true });
      generate(dir, ['--existing', '--yes'], { timeout: 5 * MINUTES });
      installHere(dir);
      // What a missing setting does to many apps: a line on stderr, then exit 1, before listening.
      writeFileSync(path.join(dir, 'src/server.js'), "console.error('config error: REDIS_URL is not set');\nprocess.exit(1);\n");
      const result = run('npm', ['run', 'test:container'], { cwd: dir, timeout: 8 * MINUTES, allowFail: true });
      removeImage('fixture-js-cjs-npm');
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/The container did not turn healthy\. The last of its output:\s+config error: REDIS_URL is not set/);
    },
    15 * MINUTES,
  );
});

/** Without the runners' colours, which some turn on for CI without a terminal. */
const plain = stripVTControlCharacters;

// A project that tests with Jest, Vitest or Mocha gets its container test in that runner,
// apart from the project's own runner config: the container run reports the runner's own
// summary, and the project's `npm test` still runs its one unit test and nothing else.
describe.each([
  ['jest-esm', [], /Tests:\s+4 passed, 4 total/, /Tests:\s+1 passed, 1 total/],
  ['vitest-cjs', [], /Tests\s+4 passed \(4\)/, /Tests\s+1 passed \(1\)/],
  ['mocha-esm', [], /^\s*4 passing/m, /^\s*1 passing/m],
] as const)('%s, containerized with --yes %j', (name, flags, containerSummary, ownSummary) => {
  it(
    "passes the container test written for the project's runner, which its own tests leave out",
    () => {
      const dir = copy(name);
      generate(dir, ['--existing', '--yes', ...flags], { timeout: 5 * MINUTES });
      installHere(dir);
      const result = run('npm', ['run', 'test:container'], { cwd: dir, timeout: 8 * MINUTES, allowFail: true });
      removeImage(`fixture-${name}`);
      const own = run('npm', ['test'], { cwd: dir, allowFail: true });
      expect(plain(result.output)).toMatch(containerSummary);
      expect(plain(result.output)).toContain('stops on docker stop before the grace period ends, exit code 0');
      expect(result.ok).toBe(true);
      expect(plain(own.output)).toMatch(ownSummary);
      expect(own.output).not.toContain('runs as the unprivileged app user');
      expect(own.ok).toBe(true);
    },
    15 * MINUTES,
  );
});

// reads-markdown: its config names ./about.md, which the app reads at startup (.dockerignore leaves out only known docs).
describe.each(['ts-esm-pnpm', 'yarn-classic', 'reads-markdown'])('%s, containerized with --yes', (name) => {
  it(
    'builds, turns healthy and stops with exit code 0 (scripts/existing-check.mjs)',
    () => {
      const dir = copy(name);
      const result = run(process.execPath, [CHECK, dir], { timeout: 10 * MINUTES, allowFail: true });
      const verdict = JSON.parse(result.stdout.split('\n').at(-1) ?? '{}');
      expect({ verdict, log: verdict.builds ? '' : result.stderr.slice(-3000) }).toMatchObject({
        verdict: { builds: true, healthy: true, stopExit: 0 },
      });
      run('docker', ['image', 'rm', '-f', `existing-check-${name}:latest`], { allowFail: true });
    },
    12 * MINUTES,
  );
});

describe('monorepo, one workspace package containerized with --existing . --yes --workspace packages/api', () => {
  const image = 'existing-e2e-monorepo-api:container-test';
  afterAll(() => run('docker', ['image', 'rm', '-f', image], { allowFail: true }));

  it(
    'passes the container test run from the root, and the image holds only what packages/api needs',
    () => {
      const dir = copy('monorepo');
      generate('.', ['--existing', '--yes', '--workspace', 'packages/api'], { cwd: dir, timeout: 5 * MINUTES });
      installHere(dir);
      const result = run('npm', ['run', 'test:container', '--workspace', 'packages/api'], {
        cwd: dir,
        env: { ...process.env, TEST_IMAGE: image },
        timeout: 8 * MINUTES,
        allowFail: true,
      });
      expect(result.output).toContain('serves GET /health');
      expect(result.output).toMatch(/ℹ fail 0/);
      expect(result.ok).toBe(true);

      // What the image ships, read by its own node: the packages, and the installed dependencies.
      const list = (folder: string) => `require('node:fs').readdirSync('${folder}').filter((e) => !e.startsWith('.')).join(' ')`;
      const inside = (script: string) =>
        run('docker', ['run', '--rm', '--entrypoint', 'node', image, '-e', `console.log(${script})`])
          .stdout.trim()
          .split(' ');
      expect(inside(list('/app/packages'))).toEqual(['api', 'shared']);
      expect(inside(list('/app/packages/shared/dist'))).toEqual(['index.js']);
      const modules = inside(list('/app/node_modules'));
      expect(modules).toEqual(expect.arrayContaining(['@fixture', 'express']));
      // packages/other's dependency, packages/shared's dev dependency, packages/api's test dependency.
      for (const absent of ['left-pad', 'typescript', 'testcontainers']) expect(modules).not.toContain(absent);
    },
    15 * MINUTES,
  );
});

describe.each(['monorepo-pnpm', 'monorepo-yarn', 'monorepo-yarn-classic'])(
  '%s, packages/api containerized with --yes --workspace',
  (name) => {
    const image = `existing-check-${name}:latest`;
    afterAll(() => run('docker', ['image', 'rm', '-f', image], { allowFail: true }));

    it(
      'builds, turns healthy and stops with exit code 0 (scripts/existing-check.mjs), with none of packages/other’s dependencies',
      () => {
        const dir = copy(name);
        const result = run(process.execPath, [CHECK, dir, '--workspace', 'packages/api'], { timeout: 10 * MINUTES, allowFail: true });
        const verdict = JSON.parse(result.stdout.split('\n').at(-1) ?? '{}');
        expect({ verdict, log: verdict.builds ? '' : result.stderr.slice(-3000) }).toMatchObject({
          verdict: { builds: true, healthy: true, stopExit: 0 },
        });
        // Node's own resolution inside the image, from every package folder there: express is
        // installed; packages/other's dependency and packages/shared's dev dependency are not.
        const resolves = nodeIn(
          image,
          `const paths = ['/app/packages/api', '/app/packages/shared', '/app/packages/other', '/app'];
           console.log(JSON.stringify(['express', 'left-pad', 'typescript'].map((pkg) => { try { return !!require.resolve(pkg, { paths }) } catch { return false } })))`,
        );
        expect(resolves).toEqual([true, false, false]);
        if (name === 'monorepo-pnpm') {
          // pnpm's records of the install stay behind in prod-deps; its store, which node resolves through, ships.
          const exists = nodeIn(
            image,
            `console.log(JSON.stringify(['.pnpm', '.modules.yaml', '.pnpm/lock.yaml'].map((f) => require('node:fs').existsSync('/app/node_modules/' + f))))`,
          );
          expect(exists).toEqual([true, false, false]);
        }
      },
      12 * MINUTES,
    );
  },
);

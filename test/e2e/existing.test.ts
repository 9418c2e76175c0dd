/**
 * Existing projects on the engine: each fixture under test/fixtures/existing is copied,
 * containerized with `create-container-api --existing --yes` (plus the flags a user of that
 * shape would give), and proven by what the generator wrote for it. npm fixtures run their
 * own container test (`npm run test:container`: build, non-root, healthy, the health route or
 * port, docker stop); the pnpm and Yarn ones, whose managers this machine's host may lack, go
 * through scripts/existing-check.mjs, which needs only Docker. Run under the engine lock.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** The image the container test built, removed with the test's own tag. */
function removeImage(slug: string): void {
  run('docker', ['image', 'rm', '-f', `${slug}:container-test`], { allowFail: true });
}

describe.each([
  ['js-cjs-npm', [], 'answers GET /api/health'],
  ['native', ['--runtime', 'distroless', '--health', '/health'], 'answers GET /health'],
  ['no-health', [], 'accepts connections on the mapped port (no health route: TCP only)'],
  ['ignores-sigterm', [], 'exit code 0 (docker/graceful-stop.mjs)'],
  ['sigterm-logs-only', [], 'exit code 0 (docker/graceful-stop.mjs)'],
] as const)('%s, containerized with --yes %j', (name, flags, proof) => {
  it(
    'passes the container test written for it',
    () => {
      const dir = copy(name);
      generate(dir, ['--existing', '--yes', ...flags], { timeout: 5 * MINUTES });
      const result = run('npm', ['run', 'test:container'], { cwd: dir, timeout: 8 * MINUTES, allowFail: true });
      removeImage(`fixture-${name}`);
      expect(result.output).toContain(proof);
      expect(result.output).toMatch(/ℹ fail 0/);
      expect(result.ok).toBe(true);
    },
    15 * MINUTES,
  );
});

describe.each(['ts-esm-pnpm', 'yarn-classic'])('%s, containerized with --yes', (name) => {
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

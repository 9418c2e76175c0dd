/**
 * The promise to users: generate, install, and the project's own tests pass, the
 * container tests included (a real image built and real containers run on the engine).
 * The default configuration is tested as committed in sample-api/ (which the drift test
 * keeps identical to a fresh run), installed from its lockfile as a clone would be.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI_PATH, REPO_ROOT } from '../support/paths.js';

const MINUTES = 60_000;

/** Configurations whose container tests run here; the unit-test matrix covers the rest. */
const VARIANTS: { label: string; flags: string[] }[] = [
  { label: 'node22-distroless-open', flags: ['--node', '22', '--runtime', 'distroless', '--auth', 'none'] },
  { label: 'node26-in-memory', flags: ['--node', '26', '--persistence', 'none'] },
];

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'e2e-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string, timeout: number) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout, maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout}\n${result.stderr}`;
  // On failure show the end of what the project printed: that is where its reason is.
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${output.slice(-8000)}`);
  return output;
}

describe('sample-api, as committed', () => {
  it('installs from its lockfile and passes its own tests, container tests included', () => {
    const sample = path.join(work, 'sample-api');
    cpSync(path.join(REPO_ROOT, 'sample-api'), sample, {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|dist|data|secrets)$/.test(source),
    });
    run('npm', ['ci', '--no-audit', '--no-fund'], sample, 10 * MINUTES);
    const output = run('npm', ['test'], sample, 25 * MINUTES);
    expect(output).toMatch(/PASS .*test\/unit\//);
    expect(output).toMatch(/PASS .*test\/container\//);
    expect(output).not.toMatch(/FAIL /);
  }, 35 * MINUTES);
});

describe.each(VARIANTS)('a generated project ($label)', ({ label, flags }) => {
  let project = '';

  it('is generated and installed by create-container-api', () => {
    project = path.join(work, `e2e-${label}`);
    const output = run(process.execPath, [CLI_PATH, project, '--yes', '--name', `e2e-${label}`, '--port', '8090', ...flags], work, 10 * MINUTES);
    expect(output).toMatch(/added \d+ packages/);
  }, 10 * MINUTES);

  it('passes its own tests: type-check, unit tests, and container tests on the engine', () => {
    const output = run('npm', ['test'], project, 25 * MINUTES);
    expect(output).toMatch(/PASS .*test\/unit\//);
    expect(output).toMatch(/PASS .*test\/container\//);
    expect(output).not.toMatch(/FAIL /);
  }, 25 * MINUTES);
});

/**
 * The container test in the project's own runner: which runner detection finds, the
 * --test-runner flag, and what each runner gets (file, header, test:container script). The
 * tests themselves are one text for every runner. No Docker here: test/e2e/existing.test.ts
 * runs each runner's container test on the engine.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detect } from '../../generators/docker/detect/index.js';
import { detectTestRunner } from '../../generators/docker/detect/test-runner.js';
import { ProjectFiles } from '../../generators/docker/detect/project-files.js';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/existing');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'runner-gen-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = path.join(mkdtempSync(path.join(work, 'gen-')), name);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const runnerOf = (pkg: object) => {
  const dir = mkdtempSync(path.join(work, 'p-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  return detectTestRunner(new ProjectFiles(dir));
};

describe('detection', () => {
  it.each([
    ['jest-esm', 'jest'],
    ['vitest-cjs', 'vitest'],
    ['mocha-esm', 'mocha'],
    ['js-cjs-npm', 'node'],
  ])('%s: %s', (name, runner) => {
    expect(detect(path.join(FIXTURES, name)).testRunner).toBe(runner);
  });

  it('the runner the test script names comes first, then the dev dependencies; node --test is node', () => {
    expect(runnerOf({ scripts: { test: 'jest --coverage' }, devDependencies: { vitest: '4' } })).toBe('jest');
    expect(runnerOf({ scripts: { test: 'mocha unit && vitest run' } })).toBe('mocha');
    expect(runnerOf({ scripts: { test: 'node --test' }, devDependencies: { mocha: '12' } })).toBe('node');
    expect(runnerOf({ scripts: { test: 'tap' }, devDependencies: { vitest: '4' } })).toBe('vitest');
    expect(runnerOf({ scripts: { test: 'echo none' } })).toBe('node');
  });
});

/** Everything from the first shared line on: the tests every runner runs. */
const body = (text: string) => text.slice(text.indexOf('/** testcontainers has no init option'));

describe('what each runner gets', () => {
  const runners = {
    jest: {
      fixture: 'jest-esm',
      file: 'test/container/container.e2e.cjs',
      script: 'jest --config={} --testMatch=**/test/container/container.e2e.cjs',
    },
    vitest: {
      fixture: 'vitest-cjs',
      file: 'test/container/container.e2e.mjs',
      script: 'vitest run --config test/container/vitest.config.mjs',
    },
    mocha: {
      fixture: 'mocha-esm',
      file: 'test/container/container.e2e.mjs',
      script: 'mocha --no-config --no-package test/container/container.e2e.mjs',
    },
    node: { fixture: 'no-health', file: 'test/container/container.test.mjs', script: 'node --test test/container/container.test.mjs' },
  } as const;
  const written = new Map<string, { dir: string; text: string }>();

  beforeAll(() => {
    for (const [runner, { fixture, file }] of Object.entries(runners)) {
      const dir = copy(fixture);
      // A TCP check for all four: jest-esm's own /health would otherwise get it an HTTP one.
      const { output } = generate(dir, ['--existing', '--yes', '--skip-install', '--health', 'tcp']);
      expect(output).toContain(`tests           ${runner === 'node' ? 'node --test, or no runner found' : runner}`);
      written.set(runner, { dir, text: readFileSync(path.join(dir, file), 'utf8') });
    }
  }, 120_000);

  it.each(Object.keys(runners))('%s: the test:container script, and a file node parses', (runner) => {
    const { dir } = written.get(runner)!;
    const { file, script } = runners[runner as keyof typeof runners];
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.scripts['test:container']).toBe(script);
    execFileSync(process.execPath, ['--check', path.join(dir, file)]);
    // Named apart from *.test.* unless node --test runs it: Jest's and Vitest's default globs skip it.
    expect(existsSync(path.join(dir, 'test/container/container.test.mjs'))).toBe(runner === 'node');
    expect(existsSync(path.join(dir, 'test/container/vitest.config.mjs'))).toBe(runner === 'vitest');
    expect(readFileSync(path.join(dir, 'README.Docker.md'), 'utf8')).toContain(`\`${file}\``);
  });

  it('one text of tests for every runner; the header maps node:test onto each', () => {
    const text = (runner: string) => written.get(runner)!.text;
    const texts = { jest: text('jest'), vitest: text('vitest'), mocha: text('mocha'), node: text('node') };
    // All four fixtures are alike where the tests branch (TCP check as asked, SIGTERM handled, no secrets).
    expect(new Set(Object.values(texts).map(body)).size).toBe(1);
    expect(body(texts.node)).toContain("test('stops on docker stop before the grace period ends, exit code 0', () => {");
    expect(texts.jest).toContain("const { GenericContainer, Wait } = require('testcontainers');");
    expect(texts.jest).not.toMatch(/^import /m);
    expect(texts.jest).toContain('const before = (fn) => beforeAll(fn, BUILD_TIMEOUT);');
    expect(texts.vitest).toContain("import { afterAll, beforeAll, test as vitestTest } from 'vitest';");
    expect(texts.mocha).toContain("import { after, before as mochaBefore, it } from 'mocha';");
    expect(texts.mocha).toContain('this.timeout(BUILD_TIMEOUT);');
    expect(texts.node).toContain("import { after, before, test } from 'node:test';");
    expect(texts.node).not.toContain('BUILD_TIMEOUT');
  });

  it('the vitest config names the container test alone', () => {
    const { dir } = written.get('vitest')!;
    expect(readFileSync(path.join(dir, 'test/container/vitest.config.mjs'), 'utf8')).toContain(
      "include: ['test/container/container.e2e.mjs']",
    );
  });
});

describe('--test-runner', () => {
  it('overrides the finding: node --test in a Jest project', () => {
    const dir = copy('jest-esm');
    generate(dir, ['--existing', '--yes', '--skip-install', '--test-runner', 'node']);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.scripts['test:container']).toBe('node --test test/container/container.test.mjs');
    expect(existsSync(path.join(dir, 'test/container/container.e2e.cjs'))).toBe(false);
  });

  it('refuses a runner the project does not have, writing nothing', () => {
    const dir = copy('jest-esm');
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--test-runner', 'vitest'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--test-runner vitest: vitest is not among package.json's dependencies");
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });

  it('refuses an unknown runner, naming the ones it knows', () => {
    const dir = copy('jest-esm');
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--test-runner', 'ava'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--test-runner "ava" is not allowed: use one of jest, vitest, mocha, node.');
  });
});

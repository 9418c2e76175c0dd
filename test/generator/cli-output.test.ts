/**
 * What a user sees: the bin run as a subprocess, as `npm create` runs it, with no terminal.
 * Results (the answers, the files, the next steps) on stdout, progress and failures on stderr,
 * one screen of it. The install is a stand-in `npm` on PATH, so the progress and failure
 * paths run without a registry.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate, generateInSubprocess } from '../support/generate.js';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'cli-output-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An identity for the first commit, whatever the machine's git config says. */
const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** A folder holding an `npm` that logs its arguments, prints `output` and exits `code`. */
function fakeNpm(name: string, code: number, output: string): string {
  const bin = path.join(work, name);
  mkdirSync(bin);
  const script = path.join(bin, 'npm');
  writeFileSync(script, `#!/bin/sh\necho "$@" > "${bin}/args"\nprintf '%s\\n' '${output}'\nexit ${code}\n`);
  chmodSync(script, 0o755);
  return bin;
}

function cli(target: string, flags: string[], env: NodeJS.ProcessEnv = {}) {
  return generateInSubprocess(target, flags, { cwd: work, env: { ...process.env, ...GIT_IDENTITY, ...env }, allowFail: true });
}

describe('create-container-api my-api --yes --skip-install, as a user runs it', () => {
  let result: ReturnType<typeof cli>;
  let lines: string[];
  beforeAll(() => {
    result = cli('my-api', ['--yes', '--skip-install']);
    lines = result.stdout.split('\n');
  });

  it('exits 0 with its results on stdout and nothing on stderr', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines.length).toBeGreaterThan(15);
    // One screen: the answers, one line of files, git, the next steps.
    expect(lines.length).toBeLessThanOrEqual(24);
  });

  it('sums up the answers --yes took, each question on a line', () => {
    expect(lines[0]).toBe('Answers (--yes took the defaults; a flag changes any):');
    expect(lines).toContain('  port             3000');
    expect(lines).toContain('  package-manager  npm');
  });

  it('says the files in one line, with no per-file create or force line', () => {
    const summary = lines.filter((line) => line.startsWith('Wrote '));
    expect(summary).toHaveLength(1);
    // Folders by file count, the largest first: which comes first depends on the templates.
    expect(summary[0]).toMatch(/^Wrote \d+ files in my-api\/ \((?=.*\btest \d+, )(?=.*\bsrc \d+, ).*\d+ at the top\)\.$/);
    expect(result.output).not.toMatch(/^\s*(create|force|identical)\s/m);
    expect(result.output).not.toContain('Changes to package.json were detected');
  });

  it('makes the first commit, and ends with the next steps on the loopback address', () => {
    expect(lines).toContainEqual(expect.stringMatching(/^Git: a new repository, first commit [0-9a-f]{7,} on \S+\.$/));
    expect(existsSync(path.join(work, 'my-api', '.git'))).toBe(true);
    expect(lines).toContain('Created my-api. Next:');
    expect(result.output).not.toMatch(/Created my-api in my-api/);
    expect(lines.at(-1)).toBe('  docker compose up --build  # serves on http://127.0.0.1:3000');
    expect(result.output).not.toContain('localhost');
  });

  it('prints no two blank lines in a row, and none at the start or end', () => {
    expect(result.stdout).not.toMatch(/\n\s*\n\s*\n/);
    expect(lines[0]).not.toBe('');
    expect(lines.at(-1)).not.toBe('');
  });
});

it('--verbose lists every file written, then the same summary', () => {
  // Nothing about the process here: run in-process, as the generator tests are.
  const { stdout } = generate('verbose-api', ['--yes', '--skip-install', '--skip-git', '--verbose'], { cwd: work });
  const listed = stdout.split('\n').filter((line) => line.startsWith('  created '));
  const count = Number(/^Wrote (\d+) files/m.exec(stdout)?.[1]);
  expect(listed).toHaveLength(count);
  // .yo-rc.json is new on a first run: created, not "force".
  expect(listed).toContain('  created     .yo-rc.json');
  expect(listed).toContain('  created     src/app.ts');
});

it('installs with progress on stderr, passing on the manager’s warnings and no other line of its output', () => {
  const bin = fakeNpm('npm-ok', 0, 'npm warn deprecated inflight@1.0.6: not supported\nadded 412 packages in 3s');
  const result = cli('installed-api', ['--yes', '--skip-git'], { PATH: `${bin}:${process.env.PATH}` });
  expect(result.status).toBe(0);
  expect(readFileSync(path.join(bin, 'args'), 'utf8').trim()).toBe('install --no-audit --no-fund');
  const progress = result.stderr.split('\n');
  expect(progress[0]).toBe('Installing dependencies (npm install --no-audit --no-fund)…');
  expect(progress.at(-2)).toMatch(/^✔ Installed dependencies with npm \(\d+\.\d s\)$/);
  expect(progress.at(-1)).toBe('npm warn deprecated inflight@1.0.6: not supported');
  expect(result.output).not.toContain('added 412 packages');
  // Installed: no "npm install" among the next steps.
  expect(result.stdout).not.toMatch(/^ {2}npm install/m);
});

it('a failed install shows the manager’s output, fails in one line and keeps the files', () => {
  const bin = fakeNpm('npm-fails', 1, 'npm error code E404');
  const result = cli('failed-api', ['--yes', '--skip-git'], { PATH: `${bin}:${process.env.PATH}` });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('npm error code E404');
  expect(result.stderr).toMatch(/^✖ Installing dependencies \(npm install --no-audit --no-fund\): failed after \d+\.\d s$/m);
  expect(result.stderr.split('\n').at(-1)).toBe(
    "create-container-api: npm install --no-audit --no-fund failed in failed-api (exit code 1; its output is above). The project's files are written: fix the cause, then run npm install there.",
  );
  expect(existsSync(path.join(work, 'failed-api', 'package.json'))).toBe(true);
});

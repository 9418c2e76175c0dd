/** The run flags: --version and --dry-run (for both generators), which change nothing, and git's. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { snapshot } from '../support/tree.js';
import { REPO_ROOT } from '../support/paths.js';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'run-flags-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('--version prints the package version and nothing else', () => {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const result = generate(path.join(work, 'unused'), ['--version', '--skip-install']);
  expect(result.stdout).toBe(version);
  expect(existsSync(path.join(work, 'unused'))).toBe(false);
});

it('--dry-run lists a new project’s files and writes none', () => {
  const target = path.join(work, 'dry-new');
  const result = generate(target, ['--yes', '--dry-run', '--skip-install']);
  expect(result.output).toContain('Dockerfile');
  expect(result.output).toContain('Dry run: nothing was written.');
  expect(existsSync(target)).toBe(false);
});

it('--existing --dry-run leaves the project byte for byte as it was', () => {
  const dir = path.join(work, 'dry-existing');
  cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/js-cjs-npm'), dir, { recursive: true });
  const before = snapshot(dir);
  const result = generate(dir, ['--existing', '--yes', '--dry-run', '--skip-install']);
  expect(result.output).toContain('Dry run: nothing was written.');
  expect(snapshot(dir)).toEqual(before);
});

describe('git: a new project gets a repository and a first commit', () => {
  const identity = {
    GIT_AUTHOR_NAME: 'Test User',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test User',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

  it('outside any repository: git init, every file committed but the ignored secret', () => {
    const target = path.join(work, 'git-new');
    const result = generate(target, ['--yes', '--skip-install', '--no-skip-git'], { env: { ...process.env, ...identity } });
    expect(git(target, 'log', '--format=%s')).toBe('Initial commit from create-container-api');
    const committed = git(target, 'ls-files').split('\n');
    expect(committed).toEqual(expect.arrayContaining(['package.json', '.yo-rc.json', 'Dockerfile', 'src/app.ts']));
    expect(committed).not.toContain('secrets/api_token');
    expect(existsSync(path.join(target, 'secrets/api_token'))).toBe(true);
    expect(git(target, 'status', '--porcelain')).toBe('');
    const head = git(target, 'rev-parse', '--short', 'HEAD');
    expect(result.stdout).toContain(`Git: a new repository, first commit ${head} on ${git(target, 'branch', '--show-current')}.`);
  });

  it('inside a repository: no git init, the repository is left as it was', () => {
    const outer = path.join(work, 'git-outer');
    mkdirSync(outer);
    git(outer, 'init', '--quiet');
    const result = generate(path.join(outer, 'api'), ['--yes', '--skip-install', '--no-skip-git'], {
      env: { ...process.env, ...identity },
    });
    expect(existsSync(path.join(outer, 'api', '.git'))).toBe(false);
    expect(() => git(outer, 'rev-parse', 'HEAD')).toThrow();
    expect(result.stdout).toContain(`Git: left alone, the project is inside the repository at ${realpathSync(outer)}.`);
  });

  it('--skip-git: no repository, and nothing said about git', () => {
    const target = path.join(work, 'git-skipped');
    const result = generate(target, ['--yes', '--skip-install', '--skip-git']);
    expect(existsSync(path.join(target, '.git'))).toBe(false);
    expect(result.output).not.toContain('Git:');
  });

  it('git that cannot commit (no identity): the repository with the files staged, and a warning that says what to run', () => {
    const target = path.join(work, 'git-anonymous');
    // No config at all, and no identity guessed from the host name.
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'user.useConfigOnly',
      GIT_CONFIG_VALUE_0: 'true',
    };
    for (const key of Object.keys(identity)) delete (env as Record<string, string | undefined>)[key];
    const result = generate(target, ['--yes', '--skip-install', '--no-skip-git'], { env });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      /^Git: a new repository with the files staged, but no commit: .+\. Once git can commit here, run git commit -m "Initial commit"\.$/m,
    );
    expect(git(target, 'diff', '--cached', '--name-only').split('\n')).toContain('package.json');
  });
});

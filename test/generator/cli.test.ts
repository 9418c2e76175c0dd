import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QUESTIONS } from '../../generators/app/command.js';
import { generate } from '../support/generate.js';
import { CLI_PATH } from '../support/paths.js';
import { run } from '../support/run.js';

let workdir = '';
beforeEach(() => (workdir = mkdtempSync(path.join(os.tmpdir(), 'cli-'))));
afterEach(() => rmSync(workdir, { recursive: true, force: true }));

/**
 * Runs the bin as CI would: no terminal on stdin. Its main() runs in the test's worker thread
 * (test/support/generate.ts), with the exit status, stdout and stderr a process would have;
 * --help (no --skip-install), another user's run and the Node version guard spawn the bin.
 */
function cli(...args: string[]) {
  const [target = '', ...flags] = args;
  const result = generate(target, flags, { cwd: workdir, allowFail: true });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('create-container-api', () => {
  it('on a Node.js older than engines allows, says which it needs and which it found, and writes nothing', () => {
    // process.version as Node 20 reports it, set before the bin runs.
    const older = `data:text/javascript,Object.defineProperty(process, 'version', { value: 'v20.20.2' })`;
    const result = run(process.execPath, ['--import', older, CLI_PATH, 'old-node', '--yes'], { cwd: workdir, allowFail: true });
    expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({
      status: 1,
      stderr: 'create-container-api: needs Node.js >=22.18, and this is v20.20.2: run it with a current Node.js (24 LTS).',
    });
    expect(readdirSync(workdir)).toEqual([]);
  });

  it('lists every question as a flag with its allowed values in --help', () => {
    const { code, stdout } = cli('--help');
    expect(code).toBe(0);
    for (const q of QUESTIONS) expect(stdout).toContain(`--${q.key}`);
    expect(stdout).toContain('--runtime slim|distroless');
    expect(stdout).toContain('--port <1-65535>');
    expect(stdout).toContain('--no-workshop');
    expect(stdout).toMatch(/--skip-install/);
    expect(stdout).toMatch(/^ {2}--verbose +List every file written/m);
    expect(stdout).toMatch(/^ {2}--skip-git +Leave git alone/m);
  });

  it('generates without a terminal when --yes answers the rest', () => {
    const { code } = cli('demo', '--yes', '--skip-install', '--port', '8088', '--name', 'demo-api');
    expect(code).toBe(0);
    expect(existsSync(path.join(workdir, 'demo', 'package.json'))).toBe(true);
    expect(existsSync(path.join(workdir, 'demo', '.gitignore'))).toBe(true);
  });

  it.each([
    [['--port', '0'], 'create-container-api: --port "0" is not allowed: use a whole number from 1 to 65535.'],
    [['--name', 'UPPER'], 'create-container-api: --name "UPPER" is not a valid npm package name: it has uppercase letters.'],
    [['--node', '18'], 'create-container-api: --node "18" is not allowed: use one of 22, 24, 26.'],
    [['--colour', 'red'], "create-container-api: Unknown option '--colour'. Run create-container-api --help for the options."],
    [['a', 'b'], 'create-container-api: Expected at most one directory, got 3: target a b.'],
    [
      ['--name', 'ok-name'],
      'create-container-api: No terminal to ask "One-line description": pass --description <text>, or --yes to take the defaults.',
    ],
  ])('exits 2 with one line for %j and writes nothing', (args, message) => {
    const { code, stderr } = cli('target', '--skip-install', ...args);
    expect(code).toBe(2);
    expect(stderr).toBe(message);
    expect(readdirSync(workdir)).toEqual([]);
  });

  it('refuses a non-empty directory, and writes into it with --force', () => {
    const target = path.join(workdir, 'busy');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep.txt'), 'x');
    const refused = cli(target, '--yes', '--skip-install');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty (keep.txt)');
    expect(readdirSync(target)).toEqual(['keep.txt']);

    expect(cli(target, '--yes', '--skip-install', '--force').code).toBe(0);
    expect(existsSync(path.join(target, 'package.json'))).toBe(true);
  });
});

describe('create-container-api: the target is checked before anything is written or printed', () => {
  it('exits 2 naming a stored answer that does not parse, and changes nothing', () => {
    const target = path.join(workdir, 'made');
    expect(cli(target, '--yes', '--skip-install').code).toBe(0);
    const rc = path.join(target, '.yo-rc.json');
    const stored = JSON.parse(readFileSync(rc, 'utf8'));
    stored['generator-container-api'][':app'].answers.port = 'abc';
    writeFileSync(rc, JSON.stringify(stored));
    const before = readFileSync(path.join(target, 'compose.yaml'), 'utf8');

    const { code, stdout, stderr } = cli(target, '--skip-install');
    expect(code).toBe(2);
    expect(stderr).toBe(`create-container-api: ${rc} "port": "abc" is not allowed: use a whole number from 1 to 65535.`);
    expect(stdout).toBe('');
    expect(readFileSync(path.join(target, 'compose.yaml'), 'utf8')).toBe(before);
  });

  it('exits 2 with one line when the path is a file', () => {
    const file = path.join(workdir, 'notes.txt');
    writeFileSync(file, 'mine');
    for (const target of [file, path.join(file, 'api')]) {
      const { code, stdout, stderr } = cli(target, '--yes', '--skip-install');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`create-container-api: ${file} is a file, not a directory: choose a directory to write the project to.`);
    }
    expect(readdirSync(workdir)).toEqual(['notes.txt']);
  });

  // chmod does not stop root, so as root the bin runs as the unprivileged user nobody against
  // a directory that user cannot write: the EACCES a new user would get.
  it('exits 2 with one line when the user cannot write the directory', () => {
    const locked = path.join(workdir, 'locked');
    mkdirSync(locked);
    chmodSync(workdir, 0o755);
    chmodSync(locked, 0o555);
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    for (const target of [locked, path.join(locked, 'api')]) {
      const result = generate(target, ['--yes', '--skip-install'], {
        cwd: workdir,
        env: { ...process.env, HOME: os.tmpdir() },
        allowFail: true,
        ...asUser,
      });
      expect(result.stderr).toBe(
        `create-container-api: ${locked} is not writable by you: choose a directory you can write to, or change its permissions.`,
      );
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect(readdirSync(locked)).toEqual([]);
  });
});

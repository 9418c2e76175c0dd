/**
 * What users install is the tarball, not this tree: pack it, install it into a fresh
 * prefix, and run both entry points from there.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { run as runCommand } from '../support/run.js';

const isRoot = process.getuid?.() === 0;
/** The unprivileged account yo runs under when the tests run as root (yo refuses root). */
const YO_USER = { uid: 65534, gid: 65534 };

/** What a failure looks like on stderr, where Yeoman also lists the files it writes. */
const FAILURE = /✖|Error:|ERR!|^create-container-api:/m;

let work = '';
let tarball = '';
let createTarball = '';
let prefix = '';

function npm(args: string[], cwd: string): string {
  return runCommand('npm', args, { cwd }).stdout;
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'pack-'));
  // Readable by the unprivileged yo user below.
  chmodSync(work, 0o755);
  const packed = JSON.parse(runCommand(process.execPath, [path.join(REPO_ROOT, 'scripts/pack.mjs'), work]).stdout) as {
    generator: string;
    create: string;
  };
  tarball = packed.generator;
  createTarball = packed.create;
  prefix = path.join(work, 'prefix');
  npm(['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball, 'yo@7'], work);
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the published package', () => {
  let files: string[] = [];
  beforeAll(() => {
    files = runCommand('tar', ['-tzf', tarball])
      .stdout.split('\n')
      .filter(Boolean)
      .map((entry) => entry.replace(/^package\//, ''));
  });

  it('holds compiled JavaScript and the templates only', () => {
    const outside = files.filter((file) => !/^(dist\/|templates\/|package\.json$|README\.md$|LICENSE$)/.test(file));
    expect(outside).toEqual([]);
    expect(files).toContain('dist/generators/app/index.js');
    expect(files).toContain('dist/generators/docker/index.js');
    expect(files).toContain('dist/cli/create-container-api.js');
    expect(files.filter((file) => file.startsWith('dist/') && !file.endsWith('.js'))).toEqual([]);
  });

  it('keeps dotfile templates under names npm does not drop', () => {
    expect(files).toContain('templates/project/_gitignore');
    expect(files).toContain('templates/docker/_dockerignore');
  });
});

describe('create-container-api from the installed tarball', () => {
  it('generates as root with no terminal, dotfiles included', () => {
    const target = path.join(work, 'somewhere', 'demo-api');
    const bin = path.join(prefix, 'bin', 'create-container-api');
    const run = runCommand(bin, [target, '--yes', '--name', 'demo-api', '--port', '8088', '--skip-install'], { allowFail: true });
    expect({ code: run.status, errors: run.stderr.match(FAILURE) }).toEqual({ code: 0, errors: null });
    for (const file of ['.gitignore', '.dockerignore', '.yo-rc.json', 'package.json', 'Dockerfile', 'secrets/api_token']) {
      expect(existsSync(path.join(target, file))).toBe(true);
    }
    expect(JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8')).name).toBe('demo-api');
  });
});

describe('npm create container-api', () => {
  // `npm create container-api` is `npm exec -- create-container-api` on the package
  // create-container-api; here it runs from that package's tarball instead of the registry.
  it('runs the same generator from the create-container-api package', () => {
    const target = path.join(work, 'created', 'npm-created-api');
    const run = runCommand(
      'npm',
      ['exec', '--yes', `--package=${createTarball}`, '--', 'create-container-api', target, '--yes', '--skip-install', '--port', '8090'],
      { cwd: work, allowFail: true },
    );
    expect({ code: run.status, errors: run.stderr.match(FAILURE) }).toEqual({ code: 0, errors: null });
    const stored = JSON.parse(readFileSync(path.join(target, '.yo-rc.json'), 'utf8'))['generator-container-api'];
    expect(stored).toMatchObject({ name: 'npm-created-api', port: 8090 });
  });
});

describe('yo container-api from the installed tarball', () => {
  const yo = () => path.join(prefix, 'bin', 'yo');

  /** yo as a user would run it; as root, under an unprivileged account with a home of its own. */
  function runYo(args: string[]) {
    const home = path.join(work, 'yo-home');
    mkdirSync(home, { recursive: true });
    if (isRoot) chownSync(home, YO_USER.uid, YO_USER.gid);
    return runCommand(yo(), args, {
      cwd: home,
      allowFail: true,
      env: {
        ...process.env,
        HOME: home,
        // yo finds generators in the global node_modules of the prefix it was installed into.
        NODE_PATH: path.join(prefix, 'lib', 'node_modules'),
        NO_UPDATE_NOTIFIER: '1',
      },
      ...(isRoot ? YO_USER : {}),
    });
  }

  it('finds exactly one container-api generator', () => {
    const run = runYo(['--generators']);
    expect(run.status).toBe(0);
    const ours = run.stdout.split(/\s+/).filter((word) => word.startsWith('container-api'));
    expect(ours).toEqual(['container-api']);
  });

  it('runs it as an unprivileged user', () => {
    const target = path.join(work, 'yo-home', 'yo-api');
    const run = runYo(['container-api', target, '--yes', '--port', '8089', '--skip-install', '--no-insight']);
    // Yeoman reports each file it writes on stderr; an error would show there too.
    expect({ code: run.status, errors: run.stderr.match(FAILURE) }).toEqual({ code: 0, errors: null });
    expect(run.stderr).toContain('create yo-api/.gitignore');
    const stored = JSON.parse(readFileSync(path.join(target, '.yo-rc.json'), 'utf8'))['generator-container-api'];
    expect(stored).toMatchObject({ name: 'yo-api', port: 8089 });
    expect(existsSync(path.join(target, '.gitignore'))).toBe(true);
  });
});

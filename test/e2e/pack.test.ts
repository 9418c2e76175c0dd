/**
 * What users install is the tarball, not this tree: pack it, install it into a fresh
 * prefix, and run both entry points from there.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
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
    expect(files).toContain('templates/container/_dockerignore');
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

describe('the create-container-api package', () => {
  let files: string[] = [];
  let manifest: Record<string, unknown> = {};
  beforeAll(() => {
    files = runCommand('tar', ['-tzf', createTarball])
      .stdout.split('\n')
      .filter(Boolean)
      .map((entry) => entry.replace(/^package\//, ''));
    manifest = JSON.parse(runCommand('tar', ['-xzOf', createTarball, 'package/package.json']).stdout);
  });

  it('is the bundle and the templates, with nothing to install', () => {
    const outside = files.filter((file) => !/^(bundle\/|templates\/|package\.json$|README\.md$|LICENSE$)/.test(file));
    expect(outside).toEqual([]);
    expect(files).toContain('bundle/generators/app/index.js');
    expect(files).toContain('bundle/generators/docker/index.js');
    expect(files).toContain('templates/project/_gitignore');
    expect(manifest).toMatchObject({ name: 'create-container-api', bin: { 'create-container-api': 'bundle/cli/create-container-api.js' } });
    expect(manifest).not.toHaveProperty('dependencies');
  });
});

describe('npm create container-api', () => {
  // `npm create container-api` is `npm exec -- create-container-api` on the package
  // create-container-api; here it runs from that package's tarball instead of the registry.
  const npmCreate = (args: string[], cwd = work) =>
    runCommand('npm', ['exec', '--yes', `--package=${createTarball}`, '--', 'create-container-api', ...args], { cwd, allowFail: true });

  /** The folder npm exec installed the tarball into: the one in npm's cache whose lockfile names it. */
  function npxFolder(): string {
    const npx = path.join(runCommand('npm', ['config', 'get', 'cache']).stdout, '_npx');
    const ours = readdirSync(npx)
      .map((hash) => path.join(npx, hash))
      .filter((folder) => {
        const lockfile = path.join(folder, 'package-lock.json');
        return existsSync(lockfile) && readFileSync(lockfile, 'utf8').includes(`${path.basename(work)}/create-container-api-`);
      });
    expect(ours).toHaveLength(1);
    return ours[0] as string;
  }

  it('installs one package, and writes a project that installs its dependencies and builds', () => {
    const target = path.join(work, 'created', 'npm-created-api');
    const run = npmCreate([target, '--yes', '--port', '8090']);
    expect({ code: run.status, errors: run.stderr.match(FAILURE) }).toEqual({ code: 0, errors: null });
    const stored = JSON.parse(readFileSync(path.join(target, '.yo-rc.json'), 'utf8'))['generator-container-api'][':app'].answers;
    expect(stored).toMatchObject({ name: 'npm-created-api', port: 8090 });
    // The bundle brings every dependency with it: npm fetches nothing else before it starts.
    const installed = npm(['ls', '--all', '--parseable'], npxFolder())
      .split('\n')
      .filter((line) => line.includes('node_modules'))
      .map((line) => path.relative(npxFolder(), line));
    expect(installed).toEqual([path.join('node_modules', 'create-container-api')]);
    // The install the generator ran (not skipped) is what the build needs.
    expect(existsSync(path.join(target, 'node_modules', 'express'))).toBe(true);
    npm(['run', 'build'], target);
    expect(existsSync(path.join(target, 'dist', 'server.js'))).toBe(true);
  }, 300_000);

  it('containerizes an existing project with --existing', () => {
    const project = path.join(work, 'existing-api');
    mkdirSync(project);
    writeFileSync(
      path.join(project, 'package.json'),
      `${JSON.stringify({ name: 'existing-api', version: '1.0.0', scripts: { start: 'node server.js' } }, null, 2)}\n`,
    );
    writeFileSync(path.join(project, 'server.js'), "require('node:http').createServer((_, res) => res.end('ok')).listen(3000);\n");
    const run = npmCreate(['--existing', project, '--yes', '--skip-install']);
    expect({ code: run.status, errors: run.stderr.match(FAILURE) }).toEqual({ code: 0, errors: null });
    for (const file of ['Dockerfile', '.dockerignore', 'compose.yaml', '.yo-rc.json', 'docker/graceful-stop.mjs'])
      expect(existsSync(path.join(project, file))).toBe(true);
    // The server has no SIGTERM handler: the preload gives it a clean docker stop.
    expect(readFileSync(path.join(project, 'Dockerfile'), 'utf8')).toMatch(
      /CMD \["node", "--import", "\.\/docker\/graceful-stop\.mjs", "server\.js"\]/,
    );
  });

  it('exits 2 with one line naming the bad flag and what to do', () => {
    const run = npmCreate(['--colour', 'blue']);
    expect({ code: run.status, stderr: run.stderr }).toEqual({
      code: 2,
      stderr: "create-container-api: Unknown option '--colour'. Run create-container-api --help for the options.",
    });
  });

  it('asks its first question on a terminal', async () => {
    const command = ['npm', 'exec', '--yes', `--package=${createTarball}`, '--', 'create-container-api', 'asked-api'].join(' ');
    // util-linux `script` gives it a pseudo-terminal; the question is awaited, then it is stopped.
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: work, detached: true });
    let screen = '';
    const asked = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk;
        if (stripVTControlCharacters(screen).includes('npm package name of the API')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    process.kill(-(child.pid as number), 'SIGKILL');
    expect({ asked, screen: asked ? '' : stripVTControlCharacters(screen) }).toEqual({ asked: true, screen: '' });
    expect(existsSync(path.join(work, 'asked-api', 'package.json'))).toBe(false);
  }, 90_000);
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
    const stored = JSON.parse(readFileSync(path.join(target, '.yo-rc.json'), 'utf8'))['generator-container-api'][':app'].answers;
    expect(stored).toMatchObject({ name: 'yo-api', port: 8089 });
    expect(existsSync(path.join(target, '.gitignore'))).toBe(true);
  });
});

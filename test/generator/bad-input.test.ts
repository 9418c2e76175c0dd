/**
 * Bad input to the generators gets one line that names it, exit 2, and nothing written:
 * malformed state files, ports the project already uses, volumes on system folders, and
 * symlinks that lead out of the project (issue 30's generator half).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { snapshot } from '../support/tree.js';
import { REPO_ROOT } from '../support/paths.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/existing/js-cjs-npm');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'bad-input-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const fresh = (name: string) => {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('a .yo-rc.json that is not ours to read', () => {
  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['empty', '', /is not valid JSON/],
    ['an array', '[]', /is not a JSON object/],
    ['our key not an object', '{"generator-container-api": 5}', /is not a yeoman config/],
    ['a section without answers', '{"generator-container-api": {":app": 3}}', /":app" is not a section/],
  ])('%s: exit 2 naming the file, nothing written', (_name, text, message) => {
    const dir = fresh(`rc-${_name.replaceAll(' ', '-')}`);
    writeFileSync(path.join(dir, '.yo-rc.json'), text);
    const result = generate(dir, ['--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(path.join(dir, '.yo-rc.json'));
    expect(readdirSync(dir)).toEqual(['.yo-rc.json']);
  });

  it('a stored key no question has is said and ignored', () => {
    const dir = fresh('rc-unknown');
    generate(dir, ['--yes', '--skip-install']);
    const file = path.join(dir, '.yo-rc.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    stored['generator-container-api'][':app'].answers.colour = 'red';
    writeFileSync(file, JSON.stringify(stored));
    const result = generate(dir, ['--skip-install']);
    expect(result.output).toContain('"colour" is no question of create-container-api: ignored.');
  });
});

describe('ports and volumes', () => {
  it.each([
    ['9464', 'metrics endpoint'],
    ['9229', 'Node.js inspector'],
  ])('--port %s is refused: the project uses it for the %s', (port, what) => {
    const result = generate(path.join(work, `port-${port}`), ['--yes', '--skip-install', '--port', port], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(what);
    expect(existsSync(path.join(work, `port-${port}`))).toBe(false);
  });

  it.each([['/usr'], ['/etc/app'], ['/proc'], ['/app'], ['/'], ['..'], ['/tmp/x']])('--volume %s is refused', (volume) => {
    const dir = path.join(work, `volume-${volume.replaceAll('/', '_')}`);
    cpSync(FIXTURE, dir, { recursive: true });
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--volume', volume], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--volume "${volume}" is not allowed`);
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });

  it.each([['data'], ['/data'], ['/app/uploads'], ['/srv/files']])('--volume %s is taken', (volume) => {
    const dir = path.join(work, `volume-ok-${volume.replaceAll('/', '_')}`);
    cpSync(FIXTURE, dir, { recursive: true });
    expect(generate(dir, ['--existing', '--yes', '--skip-install', '--volume', volume]).status).toBe(0);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toMatch(/^VOLUME \["\/(app|data|srv)/m);
  });
});

describe('--existing and what it reads', () => {
  it('a package.json that is not JSON: exit 2 naming it', () => {
    const dir = fresh('bad-manifest');
    writeFileSync(path.join(dir, 'package.json'), '{ "name": ');
    const result = generate(dir, ['--existing', '--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, 'package.json')} is not valid JSON`);
    expect(readdirSync(dir)).toEqual(['package.json']);
  });

  it('a package.json linked from outside the project is never written through', () => {
    const outside = fresh('outside');
    const dir = fresh('linked');
    cpSync(FIXTURE, dir, { recursive: true });
    const real = path.join(outside, 'package.json');
    cpSync(path.join(dir, 'package.json'), real);
    rmSync(path.join(dir, 'package.json'));
    symlinkSync(real, path.join(dir, 'package.json'));
    const before = readFileSync(real, 'utf8');
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--force'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`package.json → ${real}`);
    expect(readFileSync(real, 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });

  it('"start": "tsx src/server.ts" with no build script: node runs the TypeScript itself', () => {
    const dir = fresh('tsx-no-build');
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'tsx-app', type: 'module', scripts: { start: 'tsx src/server.ts' }, devDependencies: { tsx: '^4.0.0' } }),
    );
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(
      path.join(dir, 'src/server.ts'),
      "import http from 'node:http';\nhttp.createServer((_q, s) => s.end('ok')).listen(3000);\n",
    );
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ name: 'tsx-app', lockfileVersion: 3, packages: { '': {} } }));
    const result = generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(result.output).toContain('node runs it as TypeScript itself');
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^CMD \["node", (.+, )?"src\/server\.ts"\]$/m);
    expect(dockerfile).not.toContain('dist/');
  });

  it('run from outside the project, it says where it wrote and cds there first', () => {
    const dir = path.join(work, 'sub', 'api');
    cpSync(FIXTURE, dir, { recursive: true });
    const result = generate(dir, ['--existing', '--yes', '--skip-install'], { cwd: path.join(work, 'sub') });
    expect(result.output).toContain('Written in api/: Dockerfile');
    expect(result.output).toContain('  cd api');
  });
});

/**
 * A small file system of its own (tmpfs; mounting needs root, as CI and these machines run):
 * `size` limits the bytes, `nr_inodes` the files, which runs out half-way through a write
 * that the free-space check lets through.
 */
function smallDisk(name: string, options: string): { dir: string; [Symbol.dispose](): void } {
  const dir = fresh(name);
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  return { dir, [Symbol.dispose]: () => execFileSync('umount', [dir]) };
}

const asRoot = process.getuid?.() === 0;

describe('a disk too small, or full half-way', () => {
  (asRoot ? it : it.skip)('too little free space: exit 2 before anything is written, saying how much is needed', () => {
    using disk = smallDisk('small-bytes', 'size=600k');
    const result = generate(path.join(disk.dir, 'api'), ['--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/has \d+ KB free, and the project needs about \d+ KB/);
    expect(readdirSync(disk.dir)).toEqual([]);
  });

  (asRoot ? it : it.skip)('out of room half-way through a new project: one line, and nothing is left', () => {
    using disk = smallDisk('small-inodes', 'size=8m,nr_inodes=30');
    const result = generate(path.join(disk.dir, 'api'), ['--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('create-container-api:'))).toEqual([
      expect.stringMatching(/ENOSPC.*Nothing of this run is left/),
    ]);
    expect(readdirSync(disk.dir)).toEqual([]);
  });

  (asRoot ? it : it.skip)('out of room half-way through --existing: the project is as it was, package.json included', () => {
    const files = readdirSync(FIXTURE, { recursive: true }).length;
    // Room for the project's own files and folders, and for a few of ours only.
    using disk = smallDisk('small-existing', `size=8m,nr_inodes=${files + 4}`);
    const dir = path.join(disk.dir, 'app');
    cpSync(FIXTURE, dir, { recursive: true });
    const before = snapshot(dir);
    const result = generate(dir, ['--existing', '--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Nothing of this run is left');
    expect(snapshot(dir)).toEqual(before);
  });
});

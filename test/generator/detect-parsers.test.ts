/**
 * Detection read through the ecosystem's own parsers. Each case is one that the hand-written
 * parsers got wrong (issue 31's table): an example secret cut short at `#`, a Node range that
 * names two lines we build, a pnpm workspace in flow style, a bun lockfile taken for npm, a
 * NODE_OPTIONS assignment or a quoted node option in a start script, an outDir from a base
 * tsconfig. No Docker here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { detect } from '../../generators/docker/detect/index.js';
import { dotenvLine, parseDotenv } from '../../generators/docker/detect/environment.js';
import { detectNodeLine, lineFor } from '../../generators/docker/detect/node-line.js';
import { detectPackageManager } from '../../generators/docker/detect/package-manager.js';
import { ProjectFiles } from '../../generators/docker/detect/project-files.js';
import { detectWorkspaces } from '../../generators/docker/detect/workspaces.js';
import { YARN_VERSION } from '../../generators/container/package-manager-versions.js';
import { generate } from '../support/generate.js';
import { snapshot } from '../support/tree.js';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'detect-parsers-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A project made of the given files (folders made as needed), in a folder of its own. */
function write(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(work, 'p-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const manifest = (fields: Record<string, unknown>) => JSON.stringify({ name: 'app', version: '1.0.0', ...fields });
const server = "require('node:http').createServer((q, s) => s.end('ok')).listen(process.env.PORT ?? 3000);\n";

describe('dotenv: read and written as node --env-file reads it', () => {
  // Each value as an example file may give it, and what Node's own parser makes of it.
  it.each([
    ['A="a#b"', 'a#b'],
    ['A=plain # comment', 'plain'],
    ['A="two\\nlines"', 'two\nlines'],
    ['A="real\nnewline"', 'real\nnewline'],
    ['A=`it\'s "quoted"`', 'it\'s "quoted"'],
    ["export A='x'", 'x'],
  ])('%j reads as Node reads it', (line, value) => {
    expect(parseDotenv(line).get('A')).toBe(value);
  });

  it.each(['a#b', ' padded ', "it's", 'say "hi"', 'both \' and "', 'line1\nline2', 'back`tick', 'x=y', ''])(
    '%j is written so that Node reads it back unchanged',
    (value) => {
      expect(parseEnv(dotenvLine('SECRET', value)).SECRET).toBe(value);
    },
  );

  it('a secret with # in the example reaches secrets/app.env whole', () => {
    const dir = write({
      'package.json': manifest({ main: 'server.js' }),
      'server.js': server,
      '.env.example': 'API_SECRET="s3cr#t-value"\nDB_PASSWORD=\'pa ss\'\n',
    });
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const written = parseEnv(readFileSync(path.join(dir, 'secrets/app.env'), 'utf8'));
    expect(written).toMatchObject({ API_SECRET: 's3cr#t-value', DB_PASSWORD: 'pa ss' });
  });
});

describe('Node line: semver reads engines and .nvmrc', () => {
  it.each([
    ['22 - 24', '24'],
    ['20 - 22', '22'],
    ['lts/jod', '22'],
    ['lts/iron', '22'],
    ['lts/krypton', '24'],
    ['>=22.18.0 <23', '22'],
    ['^22.18.0 || ^24.11.0', '24'],
  ])('%s runs on line %s', (spec, line) => {
    expect(lineFor(spec)).toBe(line);
  });

  it('engines "22 - 24" is found as a range that names 24, not as one that names no line', () => {
    const dir = write({ 'package.json': manifest({ engines: { node: '22 - 24' } }) });
    expect(detectNodeLine(new ProjectFiles(dir))).toEqual({ line: '24', source: 'engines.node "22 - 24"' });
  });

  it('.nvmrc lts/jod picks 22', () => {
    const dir = write({ 'package.json': manifest({}), '.nvmrc': 'lts/jod\n' });
    expect(detectNodeLine(new ProjectFiles(dir)).line).toBe('22');
  });
});

describe('workspaces: YAML read as YAML, globs expanded as globs', () => {
  const packages = {
    'apps/api/package.json': manifest({ name: 'api' }),
    'packages/shared/package.json': manifest({ name: 'shared' }),
    'packages/empty/README.md': 'no package here\n',
  };

  it.each([
    ['flow style', "packages: ['apps/*', 'packages/*']\n"],
    ['a comment inside the list', 'packages:\n  # the apps\n  - apps/*\n  - "packages/*" # libraries\n'],
    ['a brace glob', "packages:\n  - '{apps,packages}/*'\n"],
    ['other settings first', 'onlyBuiltDependencies:\n  - esbuild\npackages:\n  - apps/**\n  - packages/*\n'],
  ])('pnpm-workspace.yaml with %s', (_, yaml) => {
    const dir = write({ 'package.json': manifest({ private: true }), 'pnpm-workspace.yaml': yaml, ...packages });
    expect(detectWorkspaces(new ProjectFiles(dir))).toEqual({
      source: 'pnpm-workspace.yaml',
      packages: ['apps/api', 'packages/shared'],
    });
  });

  it('package.json workspaces with a brace glob and a negation', () => {
    const dir = write({
      'package.json': manifest({ private: true, workspaces: ['{apps,packages}/*', '!packages/shared'] }),
      ...packages,
    });
    expect(detectWorkspaces(new ProjectFiles(dir))?.packages).toEqual(['apps/api']);
  });
});

describe('package manager: the lockfile table and the fields of package-manager-detector', () => {
  it.each(['bun.lock', 'bun.lockb'])('%s is bun, not "npm (no lockfile)"', (lockfile) => {
    const dir = write({ 'package.json': manifest({}), [lockfile]: '{}\n' });
    expect(detectPackageManager(new ProjectFiles(dir))).toMatchObject({ unsupported: 'bun', lockfile });
  });

  it.each([
    [{ scripts: { dev: 'bun run --hot src/index.ts' } }, 'script "dev" runs bun'],
    [{ devDependencies: { '@types/bun': 'latest' } }, '@types/bun in package.json'],
  ])('a bun project with no lockfile yet (%j) is bun too', (fields, source) => {
    const dir = write({ 'package.json': manifest(fields) });
    expect(detectPackageManager(new ProjectFiles(dir))).toMatchObject({ unsupported: 'bun', source });
  });

  it('devEngines.packageManager names the manager when no lockfile does', () => {
    const dir = write({
      'package.json': manifest({ devEngines: { packageManager: { name: 'pnpm', version: '10.34.8', onFail: 'error' } } }),
    });
    expect(detectPackageManager(new ProjectFiles(dir))).toMatchObject({
      name: 'pnpm',
      version: '10.34.8',
      source: 'devEngines.packageManager "pnpm@10.34.8"',
    });
  });

  it.each([
    ['8', YARN_VERSION],
    ['6', '3.8.6'],
    ['4', '2.4.2'],
  ])('a Berry yarn.lock of __metadata version %s is updated by Yarn %s, which keeps its format', (metadata, version) => {
    const dir = write({ 'package.json': manifest({}), 'yarn.lock': `__metadata:\n  version: ${metadata}\n  cacheKey: 10c0\n` });
    expect(detectPackageManager(new ProjectFiles(dir))).toMatchObject({ name: 'yarn', version });
  });

  it('a bun project is refused in one line, and nothing is written (no package-lock.json beside bun.lock)', () => {
    const dir = write({ 'package.json': manifest({ main: 'server.js' }), 'server.js': server, 'bun.lock': '{}\n' });
    const before = snapshot(dir);
    const result = generate(dir, ['--existing', '--yes'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/is a bun project \(bun\.lock\).*Nothing was written\./);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('start scripts: read as the shell reads them', () => {
  const built = (start: string) =>
    write({
      'package.json': manifest({ scripts: { build: 'tsc', start } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
      'src/server.ts': server,
    });

  it('NODE_OPTIONS="…" before node: its options go into the CMD, the file is the file', () => {
    const start = detect(built('NODE_OPTIONS="--max-old-space-size=512 --enable-source-maps" node dist/server.js')).start;
    expect(start).toMatchObject({ file: 'dist/server.js', nodeArgs: ['--max-old-space-size=512', '--enable-source-maps'] });
  });

  it('a quoted option value (node --title "my api" file) is not taken for the file', () => {
    const start = detect(built('node --title "my api" dist/server.js')).start;
    expect(start).toMatchObject({ file: 'dist/server.js', nodeArgs: ['--title', 'my api'] });
  });

  it('cross-env with NODE_OPTIONS and a redirection', () => {
    const start = detect(
      built("cross-env NODE_ENV=production NODE_OPTIONS='--enable-source-maps' node dist/server.js > app.log 2>&1"),
    ).start;
    expect(start).toMatchObject({ file: 'dist/server.js', nodeArgs: ['--enable-source-maps'] });
  });

  it("the app's own preload is kept (tracing), a dev tool's is not", () => {
    const start = detect(built('NODE_OPTIONS="--import ./dist/tracing.js" node -r dotenv/config --import=tsx dist/server.js')).start;
    expect(start).toMatchObject({ file: 'dist/server.js', nodeArgs: ['--import', './dist/tracing.js'] });
  });

  it('the Dockerfile runs node with those options', () => {
    const dir = built('NODE_OPTIONS="--max-old-space-size=512 --enable-source-maps" node dist/server.js');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain(
      'CMD ["node", "--max-old-space-size=512", "--enable-source-maps", "--import", "./docker/graceful-stop.mjs", "dist/server.js"]',
    );
  });
});

describe('build output from the bundler config', () => {
  it("tsup's outDir (.output) is the build output, and the start file in it is found", () => {
    const dir = write({
      'package.json': manifest({ type: 'module', scripts: { build: 'tsup', start: 'node --import ./.output/tracing.js .output/main.js' } }),
      'tsup.config.ts':
        "import { defineConfig } from 'tsup';\nexport default defineConfig({ entry: ['./src/main.ts'], outDir: '.output' });\n",
      'src/main.ts': server,
    });
    const f = detect(dir);
    expect(f.build).toEqual({ script: 'build', outputDir: '.output' });
    expect(f.start).toMatchObject({ file: '.output/main.js', nodeArgs: ['--import', './.output/tracing.js'] });
  });
});

describe('tsconfig: extends followed (get-tsconfig)', () => {
  it('an outDir from the base config is the build output, and the start file is mapped into it', () => {
    const dir = write({
      'package.json': manifest({ scripts: { build: 'tsc -p tsconfig.build.json', start: 'ts-node src/index.ts' } }),
      'config/tsconfig.base.json': JSON.stringify({ compilerOptions: { outDir: '../build', rootDir: '../src' } }),
      'tsconfig.json': JSON.stringify({ extends: './config/tsconfig.base.json', compilerOptions: { strict: true } }),
      'tsconfig.build.json': JSON.stringify({ extends: './tsconfig.json', exclude: ['test'] }),
      'src/index.ts': server,
    });
    const f = detect(dir);
    expect(f.build).toEqual({ script: 'build', outputDir: 'build' });
    expect(f.start?.file).toBe('build/index.js');
  });
});

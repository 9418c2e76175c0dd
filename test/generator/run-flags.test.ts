/** The run flags that change nothing: --version, and --dry-run for both generators. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { snapshot } from '../support/tree.js';
import { REPO_ROOT } from '../support/paths.js';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'run-flags-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('--version prints the package version and nothing else', () => {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const result = generate(path.join(work, 'unused'), ['--version', '--skip-install']);
  expect(result.stdout).toBe(version);
  expect(existsSync(path.join(work, 'unused'))).toBe(false);
});

it('--dry-run lists a new project’s files and writes none', () => {
  const target = path.join(work, 'dry-new');
  const result = generate(target, ['--yes', '--dry-run', '--skip-install']);
  expect(result.output).toContain('Dockerfile');
  expect(result.output).toContain('Dry run: nothing was written.');
  expect(existsSync(target)).toBe(false);
});

it('--existing --dry-run leaves the project byte for byte as it was', () => {
  const dir = path.join(work, 'dry-existing');
  cpSync(path.join(REPO_ROOT, 'test/fixtures/existing/js-cjs-npm'), dir, { recursive: true });
  const before = snapshot(dir);
  const result = generate(dir, ['--existing', '--yes', '--dry-run', '--skip-install']);
  expect(result.output).toContain('Dry run: nothing was written.');
  expect(snapshot(dir)).toEqual(before);
});

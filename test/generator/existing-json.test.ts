/**
 * `--existing --json`: the findings, the answers and the planned files as one JSON document on
 * stdout, and nothing written (the tree hashed before and after, no install run).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../support/generate.js';
import { REPO_ROOT } from '../support/paths.js';
import { MINUTES } from '../support/run.js';
import { snapshot } from '../support/tree.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/existing');

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'existing-json-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = mkdtempSync(path.join(work, `${name}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

interface Report {
  findings: { name: string; packageManager: { name: string; lockfile: string | null }; build: unknown; docs: string[] };
  workspace: { dir: string } | null;
  answers: Record<string, unknown>;
  files: { path: string; action: string; what?: string }[];
}

describe('--existing --json', () => {
  it(
    'prints the findings and the planned files as JSON, only that on stdout, and writes nothing (no install either)',
    () => {
      const dir = copy('js-cjs-npm');
      const before = snapshot(dir);
      // Without --skip-install: --json alone must keep the package manager from running.
      const result = generate(dir, ['--existing', '--json', '--port', '8080'], { timeout: 3 * MINUTES });
      const report = JSON.parse(result.stdout) as Report;
      expect(snapshot(dir)).toEqual(before);
      expect(report.findings).toMatchObject({ name: 'fixture-js-cjs-npm', packageManager: { name: 'npm', lockfile: 'package-lock.json' } });
      // Nothing found is null, not a missing key.
      expect(report.findings.build).toBeNull();
      // A flag overrides a finding, as in a run that writes.
      expect(report.answers).toMatchObject({ port: 8080, 'package-manager': 'npm' });
      expect(report.answers).not.toHaveProperty('json');
      expect(report.files.map((f) => f.path)).toEqual(
        expect.arrayContaining(['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md', 'package.json', 'package-lock.json']),
      );
      expect(report.files.find((f) => f.path === 'package-lock.json')).toEqual({
        path: 'package-lock.json',
        action: 'update',
        what: 'npm install --package-lock-only --ignore-scripts --no-audit --no-fund',
      });
    },
    4 * MINUTES,
  );

  it('one package of a monorepo: the files are named from the root, in the package folder', () => {
    const dir = copy('monorepo');
    const before = snapshot(dir);
    const result = generate(dir, ['--existing', '--json', '--workspace', 'packages/api', '--skip-install']);
    const report = JSON.parse(result.stdout) as Report;
    expect(snapshot(dir)).toEqual(before);
    expect(report.workspace).toMatchObject({ dir: 'packages/api' });
    expect(report.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['packages/api/Dockerfile', 'packages/api/Dockerfile.dockerignore', 'packages/api/package.json']),
    );
  });

  it('a refusal is the same as without --json: one line on stderr, exit 2, nothing on stdout', () => {
    const dir = copy('monorepo');
    const result = generate(dir, ['--existing', '--json', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/is a monorepo .*--workspace/);
  });
});

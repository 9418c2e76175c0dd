/**
 * Shapes met in real repositories that the existing-project generator got wrong (issue 31's
 * second real-repository run). Each fixture is our own small project of that shape; the
 * repositories themselves are listed, with their commits, in docs/real-repositories.md.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { detect } from '../../generators/docker/detect/index.js';
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

/**
 * WORKSHOP.md's excerpt of a `--persistence postgres` compose.yaml (section 9, "A second
 * container, and `depends_on`") is a ```text block, which the workshop doc-test does not run:
 * here every key and value in it must be what such a project's compose.yaml says.
 *
 * The workshop itself is written for one container and its volume (sqlite or none): a
 * Postgres project leaves it out by default and refuses `--workshop`, writing nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createCommandFor, QUESTIONS } from '../../generators/app/command.js';
import type { Answers } from '../../generators/app/project.js';
import { generate } from '../support/generate.js';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'workshop-excerpt-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function excerpt(workshop: string): unknown {
  const at = workshop.indexOf('**A second container, and `depends_on`.**');
  expect(at).toBeGreaterThan(0);
  const block = /```text\n([\s\S]*?)```/.exec(workshop.slice(at));
  return parse(block![1]!);
}

describe('WORKSHOP.md, a second container and depends_on', () => {
  it("quotes a --persistence postgres project's compose.yaml as it is", () => {
    const sqlite = path.join(work, 'sqlite-api');
    const postgres = path.join(work, 'pg-api');
    generate(sqlite, ['--yes', '--skip-install']);
    generate(postgres, ['--yes', '--persistence', 'postgres', '--skip-install']);
    const workshop = readFileSync(path.join(sqlite, 'WORKSHOP.md'), 'utf8');
    expect(workshop).toContain('In the `compose.yaml` of a project generated with `--persistence postgres`,');
    expect(parse(readFileSync(path.join(postgres, 'compose.yaml'), 'utf8'))).toMatchObject(excerpt(workshop) as object);
  });
});

describe('the workshop and --persistence postgres', () => {
  it('a Postgres project leaves the workshop out by default, and its README command says no --no-workshop', () => {
    const project = path.join(work, 'pg-default');
    const result = generate(project, ['--yes', '--persistence', 'postgres', '--skip-install']);
    for (const file of ['WORKSHOP.md', 'INSTRUCTOR.md', 'SLIDES.md', 'workshop']) expect(existsSync(path.join(project, file))).toBe(false);
    expect(result.output).toMatch(/^ +workshop +off$/m);
    const stored = JSON.parse(readFileSync(path.join(project, '.yo-rc.json'), 'utf8'))['generator-container-api'][':app'].answers;
    expect(stored.workshop).toBe(false);
    expect(createCommandFor(stored as Answers)).toBe('npm create container-api@latest pg-default -- --yes --persistence postgres');
  });

  it('--persistence postgres --workshop is refused in one line that says what to do, and nothing is written', () => {
    const project = path.join(work, 'pg-workshop');
    const result = generate(project, ['--yes', '--persistence', 'postgres', '--workshop', '--skip-install'], { allowFail: true });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'create-container-api: --workshop teaches with one container and its volume, and a --persistence postgres project runs two: drop --workshop, or choose --persistence sqlite for the workshop.',
    );
    expect(existsSync(project) ? readdirSync(project) : []).toEqual([]);
  });

  it('--help states the default as it follows --persistence', () => {
    const workshop = QUESTIONS.find((q) => q.key === 'workshop')!;
    expect(workshop.default({ destination: '/tmp/x', answers: { persistence: 'sqlite' } })).toBe(true);
    expect(workshop.default({ destination: '/tmp/x', answers: { persistence: 'none' } })).toBe(true);
    expect(workshop.default({ destination: '/tmp/x', answers: { persistence: 'postgres' } })).toBe(false);
  });
});

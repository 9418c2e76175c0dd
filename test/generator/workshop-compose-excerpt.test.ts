/**
 * WORKSHOP.md's excerpt of a `--persistence postgres` compose.yaml (section 9, "A second
 * container, and `depends_on`") is a ```text block, which the workshop doc-test does not run:
 * here every key and value in it must be what such a project's compose.yaml says.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
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
  it("quotes a --persistence postgres project's compose.yaml as it is, and says it is this project's", () => {
    const project = path.join(work, 'pg-api');
    generate(project, ['--yes', '--persistence', 'postgres', '--skip-install']);
    const read = (file: string) => readFileSync(path.join(project, file), 'utf8');
    const workshop = read('WORKSHOP.md');
    expect(parse(read('compose.yaml'))).toMatchObject(excerpt(workshop) as object);
    expect(workshop).toContain("In this project's `compose.yaml`,");
  });

  it('in a project without the database, points to the flag that brings it', () => {
    const project = path.join(work, 'sqlite-api');
    generate(project, ['--yes', '--skip-install']);
    const workshop = readFileSync(path.join(project, 'WORKSHOP.md'), 'utf8');
    expect(workshop).toContain('In the `compose.yaml` of a project generated with `--persistence postgres`,');
  });
});

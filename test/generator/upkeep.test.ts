/**
 * The repository's own upkeep: Renovate for the generator's dependencies, and LF line
 * endings for a Windows checkout, here and in the projects it writes (whose .gitattributes
 * the variants test renders with every option).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSON5 from 'json5';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Rule {
  matchManagers?: string[];
  matchPackageNames?: string[];
  matchUpdateTypes?: string[];
  enabled?: boolean;
  allowedVersions?: string;
}

test('the generator has a Renovate config that leaves generated and template files alone and keeps the pinned majors', () => {
  const config = JSON5.parse(read('renovate.json5')) as { extends: string[]; ignorePaths: string[]; packageRules: Rule[] };
  expect(config.extends).toEqual(['config:recommended']);
  expect(config.ignorePaths).toEqual(expect.arrayContaining(['sample-api/**', 'templates/**', 'test/fixtures/**']));
  const rule = (name: string) => config.packageRules.find((r) => r.matchPackageNames?.includes(name));
  expect(rule('@types/node')).toMatchObject({ matchUpdateTypes: ['major'], enabled: false });
  expect(rule('ejs')).toMatchObject({ matchUpdateTypes: ['major'], enabled: false });
  expect(rule('typescript')).toMatchObject({ allowedVersions: '<7' });
});

test.each([
  ['scripts/provision.sh', 'the repository'],
  ['.ci/run', 'the repository'],
  ['templates/project/workshop/check', 'the repository'],
  ['sample-api/workshop/check', 'the repository'],
  ['sample-api/README.md', 'the repository'],
])('git checks %s out with LF endings (%s)', (file) => {
  const out = execFileSync('git', ['check-attr', 'text', 'eol', '--', file], { cwd: ROOT, encoding: 'utf8' });
  expect(out).toContain(`${file}: eol: lf`);
  expect(out).not.toContain(`${file}: text: unset`);
});

test('the generated CI names the file that keeps its actions current, and it is one the project gets', () => {
  const ci = read('templates/project/_github/workflows/ci.yml');
  expect(ci).not.toContain('dependabot');
  expect(ci).toContain('renovate.json5 keeps them fresh');
});

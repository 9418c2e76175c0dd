/**
 * Templates reach users through mem-fs-editor's ejs (yeoman-environment → mem-fs-editor →
 * ejs). The tests that render templates themselves import `ejs`, a devDependency: it must be
 * that very copy, or the tests render with another release than users get (ejs 7 in the
 * tests against mem-fs-editor's 6 was the case once).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

test('the ejs the tests import is the one mem-fs-editor renders templates with', () => {
  const environment = createRequire(require.resolve('yeoman-environment'));
  const memFsEditor = createRequire(environment.resolve('mem-fs-editor'));
  expect(require.resolve('ejs')).toBe(memFsEditor.resolve('ejs'));
});

test('the generator has no runtime dependency on ejs of its own', () => {
  const pkg = require('../../package.json') as { dependencies: Record<string, string> };
  expect(pkg.dependencies.ejs).toBeUndefined();
});

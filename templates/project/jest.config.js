/**
 * Unit tests: in-process, no Docker. The sources are ES modules, so Jest runs them through
 * its ESM loader (`node --experimental-vm-modules`, see package.json) and ts-jest compiles
 * each file on its own, without type-checking: `<%- pm.run('typecheck') %>` does that once for all.
 * The test scripts also pass `--disable-warning=ExperimentalWarning`: Node says on every run
 * that VM modules (the loader Jest needs) and, on Node 22, node:sqlite are experimental,
 * which is known and not the tests' to report. Only the test runs get the flag.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // Imports name the .ts files, which Jest can load as they are: no rewriting to .js here.
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { rewriteRelativeImportExtensions: false } }],
  },
};
